from django.contrib import admin
from django.urls import include, path

from tracker.web import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/", include("tracker.api.urls")),
]

# The public case page and the detail pages behind it.
urlpatterns.append(path("", include("tracker.web.urls")))
