"""Fast, deterministic settings for the test suite."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"  # noqa: S105  # nosec B105  # pragma: allowlist secret
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = "cache+memory://"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TRACKER_BACKUP_SIGNING_KEY = env(
    "BACKUP_SIGNING_KEY", default="test-only-backup-signing-key"
)  # pragma: allowlist secret
# A saved source fetches nothing unless a test asks for it: factories give
# sources addresses on the internet, which tests never reach.
TRACKER_ARCHIVE_ON_SAVE = False
TRACKER_LINK_CHECK_PAUSE = 0.0
# A file, not SQLite's in-memory default, so that `pytest --reuse-db` (make
# test-quick) can keep the migrated test database between runs; without the
# flag it is created afresh and removed, as on CI.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / "test-tracker.sqlite3")  # noqa: F405
    }
# As in development: live servers answer on threads of their own.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
