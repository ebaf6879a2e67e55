"""Every log line names its time, level, logger and the request or task it
belongs to: JSON lines under production settings, text elsewhere. Sentry
is on only with a DSN. Each is loaded in a subprocess, as a deployment
would load it."""

import ast
import json
import re
import sys
import uuid

import pytest

from tests.test_settings import PRODUCTION, ROOT, run

REQUEST_ID = uuid.uuid4().hex
# A 404 is logged by django.request inside the request.
REQUEST_SCRIPT = (
    "import django; django.setup(); "
    "from django.test import Client; "
    "r = Client().get('/no-such-page/', secure=True, "
    f"HTTP_HOST='tracker.example.org', HTTP_X_REQUEST_ID='{REQUEST_ID}'); "
    "print(r.status_code, r['X-Request-ID'])"
)
TEXT_LINE = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (?P<level>[A-Z]+) "
    r"(?P<logger>[\w.]+) \[request (?P<request_id>\S+) task (?P<task_id>\S+)\] "
    r"(?P<message>.*)$"
)


def python(script, **env):
    return run([sys.executable, "-c", script], **env)


@pytest.mark.slow
def test_a_production_log_line_is_json_with_time_level_logger_and_request():
    result = python(
        REQUEST_SCRIPT,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["404", REQUEST_ID]
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    (not_found,) = [line for line in lines if line["logger"] == "django.request"]
    assert not_found["level"] == "WARNING"
    assert not_found["message"] == "Not Found: /no-such-page/"
    assert not_found["request_id"] == REQUEST_ID
    assert not_found["task_id"] == "-"
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", not_found["time"]
    )
    # Lines outside any request carry the same fields.
    assert {"time", "level", "logger", "request_id", "task_id", "message"} <= set(
        lines[0]
    )


@pytest.mark.slow
def test_a_development_log_line_is_text_with_the_same_fields():
    result = python(
        REQUEST_SCRIPT, DJANGO_SETTINGS_MODULE="config.settings.dev", **PRODUCTION
    )

    assert result.returncode == 0, result.stderr
    parsed = [TEXT_LINE.match(line) for line in result.stderr.splitlines()]
    assert len(parsed) >= 2
    assert all(parsed), result.stderr
    (not_found,) = [line for line in parsed if line["logger"] == "django.request"]
    assert not_found["level"] == "WARNING"
    assert not_found["request_id"] == REQUEST_ID
    assert not_found["message"] == "Not Found: /no-such-page/"


@pytest.mark.slow
def test_a_request_without_an_id_is_given_one():
    script = REQUEST_SCRIPT.replace(f", HTTP_X_REQUEST_ID='{REQUEST_ID}'", "")

    result = python(script, DJANGO_SETTINGS_MODULE="config.settings.dev", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    status, given = result.stdout.split()
    assert re.fullmatch(r"[0-9a-f]{32}", given)
    assert f"[request {given} task -] Not Found: /no-such-page/" in result.stderr


@pytest.mark.slow
def test_a_task_log_line_carries_the_task_id():
    """An eager task runs with its own id, as a worker's does."""
    script = """
import logging
import django
django.setup()
from celery import shared_task

@shared_task(name="logs.probe")
def probe():
    logging.getLogger("tracker.probe").warning("inside")

print(probe.apply(task_id="probe-4711").id)
"""

    result = python(script, DJANGO_SETTINGS_MODULE="config.settings.test")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "probe-4711"
    assert "WARNING tracker.probe [request - task probe-4711] inside" in result.stderr


SENTRY_SCRIPT = (
    "import django; django.setup(); import sentry_sdk; "
    "client = sentry_sdk.get_client(); "
    "print(client.is_active(), client.dsn or '-', "
    "' '.join(sorted(n for n in ('django', 'celery') if n in client.integrations)))"
)


@pytest.mark.slow
@pytest.mark.parametrize(
    "module", ["config.settings.production", "config.settings.dev"]
)
def test_sentry_is_on_with_a_dsn_with_django_and_celery(module):
    # Port 9 (discard) on loopback: nothing is sent while nothing fails.
    dsn = "http://public@127.0.0.1:9/1"

    result = python(
        SENTRY_SCRIPT, DJANGO_SETTINGS_MODULE=module, SENTRY_DSN=dsn, **PRODUCTION
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", dsn, "celery", "django"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "module", ["config.settings.production", "config.settings.dev"]
)
def test_sentry_is_off_without_a_dsn(module):
    result = python(SENTRY_SCRIPT, DJANGO_SETTINGS_MODULE=module, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "-"]


BROAD = {"Exception", "BaseException"}
CODE = ("tracker", "config", "bench", "load")


def _broad(handler: ast.ExceptHandler) -> bool:
    caught = handler.type
    if caught is None:
        return True
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    return any(isinstance(name, ast.Name) and name.id in BROAD for name in names)


def _leaves_a_trace(handler: ast.ExceptHandler) -> bool:
    """logger.exception(...) somewhere in the handler, or the traceback
    handed on: a bare `raise`, `raise ... from` the caught exception, or the
    exception object stored for another thread to raise."""
    caught = handler.name
    for node in ast.walk(handler):
        if isinstance(node, ast.Raise) and node.exc is None:
            return True
        if (
            isinstance(node, ast.Raise)
            and isinstance(node.cause, ast.Name)
            and node.cause.id == caught
        ):
            return True
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Name)
            and node.value.id == caught
        ):
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "exception"
        ):
            return True
    return False


def broad_handlers_without_a_trace(paths) -> list[str]:
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ExceptHandler)
                and _broad(node)
                and not _leaves_a_trace(node)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_broad_except_logs_its_traceback():
    paths = [path for folder in CODE for path in (ROOT / folder).rglob("*.py")]

    assert len(paths) > 50
    assert broad_handlers_without_a_trace(paths) == []


def test_the_broad_except_check_finds_a_silent_handler(tmp_path):
    planted = ROOT / "var" / f"planted_{uuid.uuid4().hex}.py"
    planted.write_text(
        "try:\n    pass\nexcept Exception as exc:\n    print(exc)\n"
        "try:\n    pass\nexcept (ValueError, Exception):\n    logger.exception('x')\n"
        "try:\n    pass\nexcept:\n    raise\n"
        "try:\n    pass\nexcept BaseException:\n    raise RuntimeError('lost')\n"
    )
    try:
        found = broad_handlers_without_a_trace([planted])
    finally:
        planted.unlink()

    assert found == [f"var/{planted.name}:3", f"var/{planted.name}:15"]
