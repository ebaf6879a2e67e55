"""Production: refuses to start without real secrets and hosts, with a
cache only one process can see, or with the fetcher allowed into private
networks."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False

# Each refusal says what to set; a developer who got here by accident (the
# fallback of every entry point is this module) is told how to leave.
DEVELOPMENT_HINT = (
    " For local development, set DJANGO_SETTINGS_MODULE=config.settings.dev."
)

if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-", "test-", "django-insecure")):  # noqa: F405
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        + DEVELOPMENT_HINT
    )
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must list the host names this site answers to, "
        "comma-separated." + DEVELOPMENT_HINT
    )

# Throttle counters, list counts and the cached pages must be the same for
# every web process, or each process throttles and counts on its own.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
if CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:  # noqa: F405
    raise ImproperlyConfigured(
        "CACHE_URL must name a cache every web process shares, e.g. "
        "redis://cache-host:6379/1: throttles and counts live there, and "
        f"{CACHES['default']['BACKEND']} is private to one process "  # noqa: F405
        "(CACHE_URL unset means local memory)." + DEVELOPMENT_HINT
    )

if TRACKER_ALLOW_PRIVATE_FEEDS:  # noqa: F405
    raise ImproperlyConfigured(
        "TRACKER_ALLOW_PRIVATE_FEEDS is for local development and tests "
        "only: under production settings it would let any feed URL reach "
        "this deployment's own network. Unset it." + DEVELOPMENT_HINT
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
