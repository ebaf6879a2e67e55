from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class PageNumber(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    page_size_query_description = "Results per page, at most 100 (default 25)."
    max_page_size = 100

    def get_schema_operation_parameters(self, view):
        # The bounds the code enforces, so clients (and the fuzzer) know them.
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
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
