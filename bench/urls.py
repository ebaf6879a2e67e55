"""The tracker's URLs plus the peers the benchmarks compare it with."""

from django.urls import path

from config.urls import urlpatterns as tracker_urlpatterns

from . import views

urlpatterns = [
    path("bench/productions-values/", views.productions_values),
    path(
        "bench/productions-naive/",
        views.NaiveProductionViewSet.as_view({"get": "list"}),
    ),
    *tracker_urlpatterns,
]
