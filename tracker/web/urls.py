from django.templatetags.static import static
from django.urls import path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from . import data, views

app_name = "web"

urlpatterns = [
    path("", views.case, name="case"),
    path("productions/<slug:slug>/", views.production_detail, name="production"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign"),
    path("data/", data.data_index, name="data"),
    path(
        "data/<str:version>/ic-awards-tracker.zip",
        data.release_download,
        name="release-zip",
    ),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin).
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("tracker/favicon.svg")),
    ),
]
