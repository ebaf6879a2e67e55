"""Page-number pagination whose total count is cached.

`COUNT(*)` reads the whole (filtered) table on every request, so a page
of a 500k-row list would cost far more than a page of a 10k-row one. The
count is cached per filtered query and per data version (any write to a
tracker model changes the version, see tracker/caching.py); bulk writes
that send no signals are covered by a short TTL.
"""

import hashlib

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator as DjangoPaginator
from django.utils.functional import cached_property
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

from tracker.caching import LIST_COUNT


class CachedCountPaginator(DjangoPaginator):
    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        try:
            sql, params = query.sql_with_params()
        except EmptyResultSet:
            return 0
        digest = hashlib.sha256(
            f"{query.model._meta.label}|{sql}|{params!r}".encode()
        ).hexdigest()
        return LIST_COUNT.get_or_compute(self._count_from_database, digest)

    def _count_from_database(self) -> int:
        return super().count


class StrictPageSize:
    """A page_size that does not parse is a 400, never the default."""

    page_size = 25
    page_size_query_param = "page_size"
    page_size_query_description = "Results per page, at most 100 (default 25)."
    max_page_size = 100

    def get_schema_operation_parameters(self, view):
        # The bounds the code enforces, so clients (and the fuzzer) know them.
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            # A cursor is an opaque string: a bound means nothing to it.
            if parameter["schema"].get("type") == "integer":
                parameter["schema"]["minimum"] = 1
        return parameters

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError({"page_size": ["A whole number from 1 to 100."]})
        return min(size, self.max_page_size)


class PageNumber(StrictPageSize, PageNumberPagination):
    django_paginator_class = CachedCountPaginator

    def get_page_number(self, request, paginator):
        # An empty `page=` is a mistake to report, not page 1 in disguise.
        if request.query_params.get(self.page_query_param) == "":
            raise ValidationError({"page": ["A page number: 1 or more."]})
        return super().get_page_number(request, paginator)


class NewsCursor(StrictPageSize, CursorPagination):
    """A growing feed reads best by cursor: a new article does not shift the
    pages a reader is walking through."""

    ordering = ("-dated_at", "-id")
