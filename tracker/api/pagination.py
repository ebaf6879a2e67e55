from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class StrictPageSize:
    """A page_size that does not parse is a 400, never the default."""

    page_size = 25
    page_size_query_param = "page_size"
    page_size_query_description = "Results per page, at most 100 (default 25)."
    max_page_size = 100

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
    pass
