"""Request guards: what a visitor sees when the database is gone, and the
requests refused before any view reads them."""

import hashlib
import logging
from http import HTTPStatus
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, quote_etag

from tracker.caching import (
    data_version,
    data_version_pinned,
    response_get,
    response_set,
)

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


# A CDN (or the browser) may keep a public answer a minute, and serve it
# five more while it fetches a fresh one.
PUBLIC_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300"
# The longest streamed answer kept whole: a filtered CSV export of
# thousands of records fits; the full table of a large deployment streams
# afresh each time rather than sit in the cache.
STREAM_KEPT_BYTES = 4 * 1024 * 1024


class PublicCacheMiddleware:
    """Whole responses to anonymous GETs, in the shared cache: API lists,
    details and the summary, HTML pages and feeds, and whatever page is
    added later, with no decorator to remember.

    The key is the URL and the Accept header the format is negotiated
    from; the response is kept with the data version it was rendered under
    (tracker.caching: any write changes it, in the cache every process
    shares) and served only while that version is current, so the next GET
    anywhere after a write sees the new data. The version and the response
    are read in one round trip. The ETag is derived from the version, URL
    and Accept, so an If-None-Match is answered 304 from the version alone,
    before any view runs or any stored response is read.

    A request with credentials (an Authorization header or a session
    cookie: staff and token holders) bypasses it, and its answer is marked
    private. Only a plain 200 is kept: not one that sets a cookie (the
    admin's login form sets the CSRF cookie), carries a CSP nonce (the ReDoc
    page) or already says how to cache it (health checks say never). A
    streamed answer (a CSV export) is kept as it goes out, once the client
    has read all of it, if it is no longer than STREAM_KEPT_BYTES: a
    researcher's export is asked for again and again, and rendering one
    costs a hundred record pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    # The probes answer for the cache themselves, and must never wait on it.
    probes = ("/healthz", "/readyz")

    def __call__(self, request):
        if request.method != "GET" or request.path in self.probes:
            return self.get_response(request)
        if self.has_credentials(request):
            response = self.get_response(request)
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            return response
        variant = self.variant(request)
        conditional = request.META.get("HTTP_IF_NONE_MATCH", "")
        if conditional:
            # Answered from the version alone: no stored body is read.
            etag = self.etag(data_version(), variant)
            if etag in parse_etags(conditional):
                return self.not_modified(etag)
        digest = _digest("response", variant)
        version, stored = response_get(digest)
        if stored is not None:
            return self.rebuilt(stored)
        with data_version_pinned(version):
            response = self.get_response(request)
        if self.keepable(response):
            response["ETag"] = self.etag(version, variant)
            response["Cache-Control"] = PUBLIC_CACHE_CONTROL
            if response.streaming:
                response.streaming_content = self.kept_as_sent(
                    response, digest, version
                )
            else:
                response_set(digest, version, self.stored(response))
        return response

    @staticmethod
    def etag(version: str, variant: str) -> str:
        return quote_etag(_digest("etag", version, variant))

    @staticmethod
    def not_modified(etag: str) -> HttpResponseNotModified:
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        not_modified["Cache-Control"] = PUBLIC_CACHE_CONTROL
        return not_modified

    @staticmethod
    def kept_as_sent(response, digest: str, version: str):
        """The streamed body, unchanged, stored whole once the last chunk
        has gone out. A client that leaves early, or an error in the middle,
        stores nothing: only a complete answer is ever replayed."""
        # Read now, before the outer middleware add their headers (they add
        # them again to a cached answer) and before the body is replaced.
        status, headers = response.status_code, list(response.items())
        body = response.streaming_content

        def sent():
            chunks, size = [], 0
            for chunk in body:
                yield chunk
                if chunks is None:
                    continue
                size += len(chunk)
                if size > STREAM_KEPT_BYTES:
                    # The copy is dropped and the rest streams as before:
                    # memory stays within one limit per export.
                    chunks = None
                else:
                    chunks.append(chunk)
            if chunks is not None:
                response_set(digest, version, (status, headers, b"".join(chunks)))

        return sent()

    @staticmethod
    def has_credentials(request) -> bool:
        return "HTTP_AUTHORIZATION" in request.META or (
            settings.SESSION_COOKIE_NAME in request.COOKIES
        )

    @staticmethod
    def variant(request) -> str:
        return "\n".join(
            (
                request.get_host(),
                request.get_full_path(),
                request.META.get("HTTP_ACCEPT", "").replace(" ", "").lower(),
            )
        )

    @staticmethod
    def keepable(response) -> bool:
        return (
            response.status_code == 200
            and not response.cookies
            # An async stream is only ever sent under ASGI; it is not kept.
            and not getattr(response, "is_async", False)
            and not response.has_header("Cache-Control")
            and "'nonce-" not in response.get("Content-Security-Policy", "")
        )

    @staticmethod
    def stored(response) -> tuple:
        return response.status_code, list(response.items()), response.content

    @staticmethod
    def rebuilt(stored: tuple) -> HttpResponse:
        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for header, value in headers:
            response[header] = value
        return response


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]
