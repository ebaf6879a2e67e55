"""Request guards: what a visitor sees when the database is gone, and the
requests refused before any view reads them."""

import logging
from http import HTTPStatus
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Long enough for a well-behaved client to back off instead of hammering a
# database that is restarting.
RETRY_AFTER_SECONDS = 30


def wants_json(request) -> bool:
    return request.path_info.startswith("/api/")


def problem_response(request, status: int, detail: str) -> HttpResponse:
    """A plain answer in the shape the caller expects: JSON for the API
    (DRF's `detail` key), a short HTML page elsewhere."""
    if wants_json(request):
        return JsonResponse({"detail": detail}, status=status)
    html = render_to_string(
        "error.html", {"status": status, "detail": detail}, request=None
    )
    return HttpResponse(html, status=status)


# What an API client reads for an error Django answers itself, in place of
# its HTML page (which under DEBUG shows the stack trace and settings).
API_ERROR_DETAILS = {
    404: "No such API resource.",
    500: "Something went wrong on the tracker's side. It is logged; please "
    "try again later.",
}
# The body's own headers; every other (Allow, Retry-After, Vary...) stays.
_BODY_HEADERS = frozenset({"content-type", "content-length", "content-encoding"})


class ApiErrorMiddleware:
    """Under /api/ every error is JSON with a `detail`, including those
    Django renders itself (a URL no route matches, an uncaught exception,
    a CSRF failure) and under every settings module: DEBUG's technical
    pages never reach an API client. It sits outermost, so it also sees
    what other middleware answers. Django has logged the exception (with
    its traceback) before this runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not wants_json(request)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        status = response.status_code
        detail = API_ERROR_DETAILS.get(status) or f"{HTTPStatus(status).phrase}."
        answer = problem_response(request, status, detail)
        for header, value in response.items():
            if header.lower() not in _BODY_HEADERS:
                answer[header] = value
        answer.cookies = response.cookies
        return answer


class DatabaseUnavailableMiddleware:
    """The database going away is an outage, not a bug: answer 503 with a
    Retry-After instead of a 500 and a stack trace in the logs' place."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # The cause is logged for operators; the visitor never sees it.
        logger.error("Database unavailable for %s: %s", request.path, exception)
        response = problem_response(
            request,
            503,
            "The tracker's database is unavailable. Please try again in a minute.",
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class HostileRequestMiddleware:
    """Refuse query strings no honest client sends: not UTF-8, carrying NUL
    bytes (PostgreSQL rejects them mid-query) or longer than any filter
    combination needs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.refusal(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)

    def refusal(self, request):
        # WSGI hands the raw bytes over as latin-1 text; undo that first.
        raw_query = request.META.get("QUERY_STRING", "").encode("latin-1", "replace")
        if len(raw_query) > settings.TRACKER_MAX_QUERY_STRING:
            return problem_response(
                request,
                414,
                f"The query string is longer than "
                f"{settings.TRACKER_MAX_QUERY_STRING} characters.",
            )
        # Django itself answers 404 for a path that is not UTF-8; the query
        # string it would decode with replacement characters instead.
        decoded = unquote_to_bytes(raw_query.replace(b"+", b" "))
        try:
            text = decoded.decode("utf-8")
        except UnicodeDecodeError:
            return problem_response(
                request, 400, "The query string is not valid UTF-8."
            )
        if "\x00" in text:
            return problem_response(
                request, 400, "The query string contains a NUL character."
            )
        return None
