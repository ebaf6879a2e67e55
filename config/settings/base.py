"""Settings shared by every environment; every secret and host comes from
the environment (12-factor), so one code path serves dev, CI and production.

Read top to bottom: each setting is defined once, whole, in its section.
Which module a process loads is decided by DJANGO_SETTINGS_MODULE, with
one fallback for every entry point (README, "Settings modules").
"""

from pathlib import Path

import environ
import orjson
import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "tracker.apps.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "simple_history",
    "import_export",
    "django_celery_beat",
    "django_celery_results",
    "django_guid",
    "tracker",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
]

# The request id first, so every later line of the request carries it; JSON
# errors under /api/ next, so it sees every answer; the outage guard next so
# a database error from any view or template becomes a 503; the request guard
# before anything reads the query string; axes last, as its documentation
# requires.
MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",
    "tracker.middleware.ApiErrorMiddleware",
    "tracker.middleware.DatabaseUnavailableMiddleware",
    "tracker.middleware.HostileRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Inside CORS (its headers depend on the request's Origin) and outside
    # everything that would otherwise run for a cached answer.
    "tracker.middleware.PublicCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracker.web.context_processors.site",
            ],
        },
    },
]


def database_from_env(default_sqlite_file) -> dict:
    """The database of DATABASE_URL, with the SQLite tuning every process
    (web, worker, benchmarks) should share."""
    database = env.db("DATABASE_URL", default=f"sqlite:///{default_sqlite_file}")
    database["ATOMIC_REQUESTS"] = False
    # Persistent connections: a Celery task closes the connection it used
    # unless it may live on, so at 0 every feed refresh paid a new
    # PostgreSQL backend (a fork and a login). Checked before reuse, so a
    # restarted database costs one failed request, not a worker's lifetime.
    database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    database["CONN_HEALTH_CHECKS"] = True
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server read while the worker writes. SQLite's
        # default page cache is 2 MB, so a large table is read from the OS
        # page by page on every request; 64 MB of cache and a memory map
        # keep the hot pages of the indexes at hand.
        database["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif database["ENGINE"] == "django.db.backends.postgresql":
        # QuerySet.iterator() reads through a server-side cursor, which
        # PostgreSQL plans to return its first 10% of rows fast. Every
        # cursor here (CSV exports, backups, the news pipeline) is read to
        # the end, and planned for the first rows a CSV export of one
        # network walked every production in title order: 54 ms against
        # 2 ms at 50k productions.
        options = database.setdefault("OPTIONS", {})
        options["options"] = " ".join(
            filter(None, (options.get("options"), CURSORS_READ_WHOLE))
        )
        # Prepared statements: psycopg prepares a statement once it has
        # run five times on a connection, and PostgreSQL stops planning it
        # again. A production page's four queries cost the server 3.3 ms of
        # CPU a render, 0.9 ms prepared (docs/performance.md). Preparing
        # needs server-side binding; Django turns both off by default for
        # PgBouncer in transaction mode, which cannot keep prepared
        # statements before 1.21: set DATABASE_PREPARED_STATEMENTS=off there.
        if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
            options["server_side_binding"] = True
            options["prepare_threshold"] = PREPARE_AFTER_RUNS
    return database


CURSORS_READ_WHOLE = "-c cursor_tuple_fraction=1.0"
# psycopg's own default: a statement run this often on one connection is
# worth a PREPARE; one-off statements are not.
PREPARE_AFTER_RUNS = 5


DATABASES = {"default": database_from_env(VAR_DIR / "tracker.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"
# Throttles, list counts, the summary and the case page live here. Local
# memory suits one development process; production refuses it, since every
# web process must share the counts (config/settings/production.py).
# Redis through tracker.cache_backend, which reuses its client (see there);
# named by its path, since the settings import nothing of the tracker's.
DJANGO_REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
TRACKER_REDIS_CACHE = "tracker.cache_backend.TrackerRedisCache"


def cache_from_env() -> dict:
    cache = env.cache("CACHE_URL", default="locmemcache://tracker")
    if cache["BACKEND"] == DJANGO_REDIS_CACHE:
        cache["BACKEND"] = TRACKER_REDIS_CACHE
    return cache


CACHES = {"default": cache_from_env()}

# --- Django REST framework -------------------------------------------------
# The public API's defaults; API_ANON_RATE is e.g. "120/min" or "5000/day".
TRACKER_API_ANON_RATE = env("API_ANON_RATE", default="120/min")
# Staff scripts with a token (per user), above what a reader needs.
TRACKER_API_TOKEN_RATE = env("API_TOKEN_RATE", default="1200/min")
# How many proxies of one's own sit in front of the app, each appending to
# X-Forwarded-For; 0 ignores the header (anyone can write it). The API
# throttles and the login lockout read the client address through
# tracker.http.client_ip, which follows this.
TRACKER_TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "tracker.api.schema.TrackerAutoSchema",
    "DEFAULT_RENDERER_CLASSES": (
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "tracker.api.renderers.CSVRenderer",
    ),
    "DEFAULT_PARSER_CLASSES": ("drf_orjson_renderer.parsers.ORJSONParser",),
    "DEFAULT_AUTHENTICATION_CLASSES": (
        "tracker.api.authentication.ApiTokenAuthentication",
    ),
    "DEFAULT_PERMISSION_CLASSES": ("tracker.api.permissions.StaffModelPermissions",),
    "DEFAULT_THROTTLE_CLASSES": (
        "tracker.api.throttling.AnonymousRateThrottle",
        "tracker.api.throttling.TokenRateThrottle",
    ),
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.PageNumber",
    "DEFAULT_FILTER_BACKENDS": ("tracker.api.filter_backend.FilterBackend",),
    "EXCEPTION_HANDLER": "tracker.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Errors of list fields are keyed by position ({0: [...]}); orjson
    # refuses int keys unless told.
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_NON_STR_KEYS,),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Intimacy coordination awards tracker API",
    "DESCRIPTION": (
        "Evidence for an awards category for intimacy coordinators: "
        "productions and their IC usage, people, organizations, award "
        "outcomes and mentions, statements, policies, statistics and the "
        "campaign itself. Every claim carries its sources."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.api.schema.describe_generated_parts",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SourceKindEnum": "tracker.choices.SourceKind",
        "CitationStanceEnum": "tracker.choices.CitationStance",
        "OrganizationKindEnum": "tracker.choices.OrganizationKind",
        "ProductionKindEnum": "tracker.choices.ProductionKind",
        "CreditRoleEnum": "tracker.choices.CreditRole",
        "ICStatusEnum": "tracker.choices.ICStatus",
        "ICEvidenceEnum": "tracker.choices.ICEvidence",
        "EvidenceStrengthEnum": "tracker.choices.EvidenceStrength",
        "AwardCategoryStatusEnum": "tracker.choices.AwardCategoryStatus",
        "AwardResultEnum": "tracker.choices.AwardResult",
        "AwardMentionKindEnum": "tracker.choices.AwardMentionKind",
        "StanceEnum": "tracker.choices.Stance",
        "PolicyStatusEnum": "tracker.choices.PolicyStatus",
        "StatisticUnitEnum": "tracker.choices.StatisticUnit",
        "CampaignStatusEnum": "tracker.choices.CampaignStatus",
        "DatePrecisionEnum": "tracker.choices.DatePrecision",
    },
}

CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")

# --- Celery ------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")


def broker_transport_options(broker_url: str) -> dict:
    """What each broker needs beyond its URL."""
    if broker_url.startswith("filesystem://"):
        # kombu's filesystem transport needs no server yet runs a real
        # worker that answers remote control (celery inspect ping).
        broker_dir = VAR_DIR / "broker"
        return {
            "data_folder_in": str(broker_dir / "queue"),
            "data_folder_out": str(broker_dir / "queue"),
            "control_folder": str(broker_dir / "control"),
            "processed_folder": str(broker_dir / "processed"),
            "store_processed": False,
        }
    if broker_url.startswith(("redis://", "rediss://")):
        # An unreachable (not refusing) host would otherwise block a connect
        # for the operating system's TCP timeout, minutes.
        return {"socket_connect_timeout": 5}
    return {}


CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(CELERY_BROKER_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="django-db")
CELERY_RESULT_EXTENDED = True
CELERY_CACHE_BACKEND = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A refresh mostly waits on a distant feed, so a worker runs many more
# processes than cores (Celery's default is one per core), as row 6 of
# docs/performance.md measures it.
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=16)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish while the broker is down gives up within about a second and
# raises, so a caller logs it instead of hanging (tracker.tasks).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 3,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}

# --- The tracker -------------------------------------------------------------
# Production settings refuse this switch: it lets the fetcher reach the
# deployment's own network.
TRACKER_ALLOW_PRIVATE_FEEDS = env.bool("TRACKER_ALLOW_PRIVATE_FEEDS", default=False)
TRACKER_FEED_MAX_BYTES = env.int("TRACKER_FEED_MAX_BYTES", default=5 * 1024 * 1024)
# One wall-clock bound on a whole fetch (DNS, connection, headers, body, every
# redirect), and the only ports the fetcher connects to.
TRACKER_FETCH_TIMEOUT = env.float("TRACKER_FETCH_TIMEOUT", default=30.0)
# Sources that last: a copy of every cited page, taken when a source with a
# URL is saved, and its link rechecked politely (a pause between requests to
# one host).
TRACKER_SNAPSHOT_MAX_BYTES = env.int(
    "TRACKER_SNAPSHOT_MAX_BYTES", default=10 * 1024 * 1024
)
TRACKER_ARCHIVE_ON_SAVE = env.bool("TRACKER_ARCHIVE_ON_SAVE", default=True)
TRACKER_LINK_CHECK_PAUSE = env.float("TRACKER_LINK_CHECK_PAUSE", default=2.0)
# Off by default: new sources also submitted to the Wayback Machine.
TRACKER_WAYBACK = env.bool("TRACKER_WAYBACK", default=False)
TRACKER_WAYBACK_SAVE_URL = env(
    "TRACKER_WAYBACK_SAVE_URL", default="https://web.archive.org/save/"
)
TRACKER_FETCH_PORTS = env.list(
    "TRACKER_FETCH_PORTS", cast=int, default=[80, 443, 8080, 8443]
)
# One document's parse (decoding and sanitizing included) past this many
# seconds is refused and recorded on the feed.
TRACKER_FEED_PARSE_SECONDS = env.float("TRACKER_FEED_PARSE_SECONDS", default=10.0)
# New articles one refresh of one feed may add; the rest wait for the next.
TRACKER_FEED_MAX_NEW_ENTRIES = env.int("TRACKER_FEED_MAX_NEW_ENTRIES", default=500)
# Backups are signed with this key and a restore checks it (tracker/backup/
# signing.py says why it is not SECRET_KEY).
TRACKER_BACKUP_SIGNING_KEY = env("BACKUP_SIGNING_KEY", default="")
# A scraper's query string beyond this is refused with 414 before any view.
TRACKER_MAX_QUERY_STRING = env.int("TRACKER_MAX_QUERY_STRING", default=2048)
# Imports larger than this are refused before they are read.
TRACKER_IMPORT_MAX_BYTES = env.int("TRACKER_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# An alias staff reject this many times in a row for one record becomes
# ambiguous: it is queued again only with context.
TRACKER_AMBIGUOUS_AFTER_REJECTIONS = env.int(
    "TRACKER_AMBIGUOUS_AFTER_REJECTIONS", default=3
)


# --- Logs and errors ---------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
# Every line names its time, level, logger, and the request (X-Request-ID)
# or Celery task it belongs to.
LOG_FIELDS = ("asctime", "levelname", "name", "request_id", "task_id", "message")
LOG_TEXT_FORMAT = (
    "%(asctime)s %(levelname)s %(name)s "
    "[request %(request_id)s task %(task_id)s] %(message)s"
)


def logging_config(*, json_lines: bool, level: str) -> dict:
    """One handler on the root logger, for every process: text lines for a
    person at a terminal, JSON lines (python-json-logger) for a log
    collector. Django's own loggers and runserver's request log are routed
    to it too, so no line escapes the format."""
    if json_lines:
        formatter = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": [field for field in LOG_FIELDS if field != "asctime"],
            "timestamp": "time",
            "rename_fields": {"levelname": "level", "name": "logger"},
        }
    else:
        formatter = {"format": LOG_TEXT_FORMAT}
    routed = {"handlers": [], "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_task": {"()": "tracker.logs.RequestTaskFilter"}},
        "formatters": {"line": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_task"],
                "formatter": "line",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": routed,
            "django.server": routed,
            # django-guid says at INFO that it made an id, on every request.
            "django_guid": {**routed, "level": "WARNING"},
            # billiard (the worker's process pool) turns propagation off.
            "multiprocessing": {"handlers": ["console"], "propagate": False},
        },
    }


LOGGING = logging_config(
    json_lines=env.bool("LOG_JSON", default=False), level=LOG_LEVEL
)

DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    # A caller's id is kept only if it is a UUID; anything else is replaced.
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": True,
}

# Errors go to Sentry when, and only when, a DSN is given; no personal data
# (addresses, cookies, users) is sent.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )

# --- Security headers, login lockout -----------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Nothing in the tracker needs a device or sensor; deny them all to any
# script that gets in.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Admin login: after five failures for one username from one address, that
# pair is refused for an hour even with the right password. The pair, not
# either alone: locking a username from anywhere would let anyone lock staff
# out, and behind a proxy every staff member would share one address. The
# address follows the throttles' rule (TRUSTED_PROXIES, tracker.http).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "tracker.http.client_ip"
AXES_LOCKOUT_CALLABLE = "tracker.admin_site.login_lockout"
AXES_RESET_ON_SUCCESS = True
# --- Open data: releases, webhooks, Wikidata ---------------------------------
# Where `manage.py release` writes the versioned public releases that /data/
# lists; a release, once written, is never changed.
TRACKER_RELEASES_DIR = env.path("TRACKER_RELEASES_DIR", default=VAR_DIR / "releases")
# The public address of the site, named in a release's citation and its
# datapackage.json.
TRACKER_SITE_URL = env("TRACKER_SITE_URL", default="http://127.0.0.1:8000")
# Webhook targets pass the feeds' SSRF guard; this lets them be private
# addresses (local development and tests only).
TRACKER_ALLOW_PRIVATE_WEBHOOKS = env.bool(
    "TRACKER_ALLOW_PRIVATE_WEBHOOKS", default=False
)
# The Fernet key that encrypts webhook secrets at rest (signing needs the
# secret itself, so it cannot be only hashed). Empty: derived from
# SECRET_KEY, so rotating SECRET_KEY then means re-entering every secret.
TRACKER_WEBHOOK_SECRET_KEY = env("TRACKER_WEBHOOK_SECRET_KEY", default="")
# Where `wikidata_import QID...` fetches entities from (through the feeds'
# guarded fetcher); only the tests point it elsewhere.
TRACKER_WIKIDATA_URL = env("TRACKER_WIKIDATA_URL", default="https://www.wikidata.org")
