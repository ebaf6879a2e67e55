from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("tracker.api.urls")),
]

# The public case page and the detail pages behind it.
urlpatterns.append(path("", include("tracker.web.urls")))
