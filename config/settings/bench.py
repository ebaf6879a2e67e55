"""Benchmarks: production-like (DEBUG off) on their own database, so a run
never touches development data."""

from pathlib import Path

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
# Tasks run in the bench process itself, except in the Celery workers row 6
# starts, which run on that row's own broker (Redis, or a filesystem broker
# in its own folder) and store no results.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = Path(
        env("BENCH_BROKER_FOLDER", default=str(VAR_DIR / "bench-broker"))
    )
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "polling_interval": 0.05,
    }
CELERY_RESULT_BACKEND = "cache+memory://"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env("BENCH_QUEUE", default="celery")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ROOT_URLCONF = "bench.urls"
# The benchmarks are one client asking as fast as it can.
TRACKER_API_ANON_RATE = None
