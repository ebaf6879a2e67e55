"""The project's URLs plus the smallest views that need the database, or
crash, under /api/ and elsewhere, for the outage tests to run before and
beside the real API."""

from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from tracker.models import Production


def crash(request):
    raise RuntimeError("secret internals")


def production_count(request):
    return JsonResponse({"productions": Production.objects.count()})


urlpatterns = [
    path("api/probe/", production_count),
    path("api/crash/", crash),
    path("crash/", crash),
    path("probe/", production_count),
    *project_urlpatterns,
]
