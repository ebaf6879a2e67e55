"""Benchmarks: production-like (DEBUG off) on their own database, so a run
never touches development data."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import VAR_DIR, database_from_env, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="bench-only-key-not-secret")
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# The same tuning as the web and worker processes, on its own database.
DATABASES = {"default": database_from_env(VAR_DIR / "bench.sqlite3")}
# A run empties its database first: refuse any database not named for it,
# so a stray DATABASE_URL can never wipe real data.
if "bench" not in str(DATABASES["default"]["NAME"]):
    raise ImproperlyConfigured(
        "The benchmarks empty their database before each run; point "
        "DATABASE_URL at a database whose name contains 'bench' "
        f"(got {DATABASES['default']['NAME']!r})."
    )
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ROOT_URLCONF = "bench.urls"
# The benchmarks are one client asking as fast as it can.
TRACKER_API_ANON_RATE = None
