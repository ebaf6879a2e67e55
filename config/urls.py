from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """Liveness: the process answers. Also the trivial view `make load`
    measures the mixes against."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("tracker.api.urls")),
]

# The public case page and the detail pages behind it.
urlpatterns.append(path("", include("tracker.web.urls")))
