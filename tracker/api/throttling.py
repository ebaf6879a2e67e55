"""API throttles. Both count in the default cache, which production shares
between every web process (CACHE_URL), so a limit holds for the whole site
and not once per worker. Rates are read at request time, so they follow
the settings (API_ANON_RATE, API_TOKEN_RATE)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from tracker.http import client_ip


class AnonymousRateThrottle(SimpleRateThrottle):
    """Anonymous readers, by client address (trusted proxies only: see
    tracker.http.client_ip)."""

    scope = "anon"

    def get_rate(self):
        return settings.TRACKER_API_ANON_RATE

    def get_ident(self, request):
        return client_ip(request)

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }


class TokenRateThrottle(SimpleRateThrottle):
    """Staff with a token (or an admin session), by user: a higher rate of
    their own, so a curator's script is neither starved by nor starving the
    anonymous readers sharing an office address."""

    scope = "token"

    def get_rate(self):
        return settings.TRACKER_API_TOKEN_RATE

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
