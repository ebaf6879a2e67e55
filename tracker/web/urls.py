from django.templatetags.static import static
from django.urls import path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from . import archive, views

app_name = "web"

urlpatterns = [
    path("", views.case, name="case"),
    path("productions/<slug:slug>/", views.production_detail, name="production"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign"),
    path(
        "sources/<slug:slug>/archive/",
        archive.source_archive,
        name="source_archive",
    ),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin).
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("tracker/favicon.svg")),
    ),
]
