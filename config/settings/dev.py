"""Local development: SQLite, a broker that needs no server, DEBUG, and a
`.env` file if the checkout has one."""

from pathlib import Path

import environ

# Read before the shared settings read the environment, so a value in .env
# counts as if exported. Only here: a real deployment injects its
# environment, and a stray .env on a server must change nothing.
environ.Env.read_env(Path(__file__).resolve().parents[2] / ".env", overwrite=False)

from .base import *  # noqa: E402, F403
from .base import env  # noqa: E402

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-deploy")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# Plain storage: runserver serves static files without collectstatic.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
TRACKER_BACKUP_SIGNING_KEY = env(
    "BACKUP_SIGNING_KEY", default="dev-only-backup-signing-key"
)  # pragma: allowlist secret
# runserver answers each request on a thread of its own, so a kept
# connection would only outlive its thread (Django's advice: none in
# development).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)  # noqa: F405
