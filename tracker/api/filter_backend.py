"""The API's filter backend. A module of its own: DRF imports it while
`rest_framework.generics` is still loading, so it must not import the
viewsets' filtersets (tracker.api.filters), which need DRF loaded."""

from django_filters.rest_framework import DjangoFilterBackend


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, which skips the FilterSet when the request
    has no query string at all. Built with no data, a FilterSet filters
    nothing (no filter here has a default), yet building it deep-copies
    every filter and its form field: measured in-process, that was a fifth
    of the CPU of an API detail the cache did not hold. With any parameter,
    even one that only pages, the FilterSet runs and refuses what it does
    not know, as before."""

    def filter_queryset(self, request, queryset, view):
        if not request.query_params:
            return queryset
        return super().filter_queryset(request, queryset, view)
