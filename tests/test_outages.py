"""What a visitor sees when things break: short plain pages, never a stack
trace; a 503 with a JSON body under /api/ when the database is gone; and a
4xx for URLs no honest client sends."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, override_settings
from django.urls import path

from tests.conftest import redis_url_for_tests

ROOT = Path(__file__).resolve().parent.parent


def broken(exception):
    def view(request):
        raise exception

    return view


urlpatterns = [
    path("crash/", broken(RuntimeError("secret internals"))),
    path("forbidden/", broken(PermissionDenied("secret internals"))),
    path("suspicious/", broken(SuspiciousOperation("secret internals"))),
]


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/crash/", 500, "Server error (500)"),
        ("/forbidden/", 403, "Not allowed (403)"),
        ("/suspicious/", 400, "Bad request (400)"),
        ("/nowhere/", 404, "Not found (404)"),
    ],
)
@override_settings(ROOT_URLCONF=__name__)
def test_error_pages_are_plain_and_reveal_nothing(anonymous, url, status, heading):
    response = anonymous.get(url)

    body = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in body
    assert "secret internals" not in body
    assert "Traceback" not in body


# --- The database gone --------------------------------------------------------

OUTAGE_SCRIPT = """
import json
from django.test import Client
from django.test.utils import override_settings

client = Client(raise_request_exception=False)
# A session cookie makes even the admin read the database.
client.cookies["sessionid"] = "a" * 32
answers = {}
with override_settings(ROOT_URLCONF="tests.outage_urls"):
    for url in ("/api/probe/", "/probe/", "/admin/"):
        response = client.get(url)
        answers[url] = {
            "status": response.status_code,
            "type": response["Content-Type"],
            "retry_after": response.get("Retry-After"),
            "body": response.content.decode(),
        }
print("ANSWERS " + json.dumps(answers))
"""


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def requests_with_database(database_url: str) -> dict:
    """Serve requests in a fresh process whose database really cannot be
    reached, as a web worker would after the database went away."""
    environment = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url,
    )
    result = subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", OUTAGE_SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("ANSWERS "))
    return json.loads(line.removeprefix("ANSWERS ")), result.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    "database_url",
    [
        pytest.param(f"postgres://postgres@127.0.0.1:{closed_port()}/t", id="pg"),
        pytest.param("sqlite:////nonexistent-directory/tracker.sqlite3", id="sqlite"),
    ],
)
def test_database_gone_answers_503_never_a_stack_trace(database_url):
    answers, log = requests_with_database(database_url)

    api = answers["/api/probe/"]
    assert api["status"] == 503
    assert api["type"] == "application/json"
    assert json.loads(api["body"]) == {
        "detail": "The tracker's database is unavailable. Please try again in a minute."
    }
    assert api["retry_after"] == "30"
    for url in ("/probe/", "/admin/"):
        page = answers[url]
        assert page["status"] == 503, url
        assert page["type"].startswith("text/html")
        assert "database is unavailable" in page["body"]
        assert "Traceback" not in page["body"]
    # Operators still learn the cause from the log.
    assert "Database unavailable for /api/probe/" in log


# --- URLs no honest client sends ----------------------------------------------


@pytest.mark.parametrize(
    ("url", "status", "detail"),
    [
        ("/api/v1/productions/?search=%FF%FE", 400, "query string is not valid"),
        ("/api/v1/productions/?search=a%00b", 400, "contains a NUL character"),
        ("/api/v1/productions/?search=" + "x" * 2050, 414, "longer than 2048"),
    ],
)
def test_hostile_urls_are_refused_with_a_json_reason_under_the_api(
    anonymous, url, status, detail
):
    response = anonymous.get(url)

    assert response.status_code == status
    assert detail in response.json()["detail"]


def test_a_path_that_is_not_utf8_is_not_found(anonymous):
    response = anonymous.get("/api/v1/%C3%28/")

    assert response.status_code == 404


def test_hostile_urls_elsewhere_get_a_plain_page(anonymous):
    response = anonymous.get("/admin/?q=%FF")

    assert response.status_code == 400
    assert "The query string is not valid UTF-8." in response.content.decode()


def test_a_plus_or_percent_encoded_unicode_passes_the_guard(anonymous):
    response = anonymous.get("/nowhere/?q=Ita+O%E2%80%99Brien")

    assert response.status_code == 404


# --- API errors under every settings module ------------------------------------

API_ERRORS_SCRIPT = """
import json
from django.test import Client
from django.test.utils import override_settings

client = Client(raise_request_exception=False)
answers = {}
with override_settings(ROOT_URLCONF="tests.outage_urls"):
    for url in ("/api/crash/", "/api/nowhere/", "/api/v1/productions/a/b/c/",
                "/crash/"):
        # secure: production settings redirect plain HTTP to HTTPS.
        response = client.get(url, secure=True)
        answers[url] = {
            "status": response.status_code,
            "type": response["Content-Type"],
            "body": response.content.decode(),
        }
print("ANSWERS " + json.dumps(answers))
"""


def requests_under(settings_module: str) -> tuple[dict, str]:
    environment = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE=settings_module,
        SECRET_KEY="x" * 64,  # pragma: allowlist secret
        ALLOWED_HOSTS="testserver",
        # Production refuses a per-process cache; these requests need none
        # to be reachable.
        CACHE_URL=redis_url_for_tests(),
        DATABASE_URL=os.environ.get(
            "DATABASE_URL", f"sqlite:///{ROOT}/var/api-errors.sqlite3"
        ),
    )
    environment.pop("DEBUG", None)
    result = subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", API_ERRORS_SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("ANSWERS "))
    return json.loads(line.removeprefix("ANSWERS ")), result.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    "settings_module",
    ["config.settings.dev", "config.settings.test", "config.settings.production"],
)
def test_api_errors_are_json_without_a_trace_under_every_settings(settings_module):
    answers, log = requests_under(settings_module)

    crash = answers["/api/crash/"]
    assert crash["status"] == 500
    assert crash["type"] == "application/json"
    assert json.loads(crash["body"]) == {
        "detail": "Something went wrong on the tracker's side. It is logged; "
        "please try again later."
    }
    for url in ("/api/nowhere/", "/api/v1/productions/a/b/c/"):
        assert answers[url]["status"] == 404, url
        assert answers[url]["type"] == "application/json", url
        assert json.loads(answers[url]["body"]) == {"detail": "No such API resource."}
    # Outside the API, a 500 is the site's plain page (DEBUG's under dev).
    assert answers["/crash/"]["status"] == 500
    assert answers["/crash/"]["type"].startswith("text/html")
    # Operators still get the traceback, in the log.
    assert "RuntimeError: secret internals" in log
    assert "Traceback" in log
