"""Settings: production refuses to start unsafely and passes Django's
deploy checks; every process chooses its settings module by one rule; the
shared settings read in one pass. Settings are loaded in a subprocess, as a
deployment would load them."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL_SECRET = "x7Qp2-" + "k" * 60  # pragma: allowlist secret
DEVELOPMENT_KEY = "dev-only-insecure-key-do-not-deploy"  # pragma: allowlist secret
# `check` never connects to the cache, so any Redis URL does.
SHARED_CACHE = "redis://127.0.0.1:6379/4"
PRODUCTION = {
    "SECRET_KEY": REAL_SECRET,
    "ALLOWED_HOSTS": "tracker.example.org",
    "CACHE_URL": SHARED_CACHE,
}
# What a bare server process sees: nothing of the suite's own settings.
UNSET = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CACHE_URL",
    "DJANGO_SETTINGS_MODULE",
    "TRACKER_ALLOW_PRIVATE_FEEDS",
    "TRACKER_ALLOW_PRIVATE_WEBHOOKS",
    "SENTRY_DSN",
    "LOG_JSON",
}


def bare_environment(**env) -> dict:
    environment = {key: value for key, value in os.environ.items() if key not in UNSET}
    environment.update(env)
    return environment


def run(argv, cwd=ROOT, **env):
    return subprocess.run(  # noqa: S603 - fixed argv, our own entry points
        argv,
        cwd=cwd,
        env=bare_environment(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def manage(*args, **env):
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    return run([sys.executable, "manage.py", *args], **env)


@pytest.mark.slow
def test_production_refuses_to_start_without_a_secret_key():
    result = manage(
        "check", ALLOWED_HOSTS="tracker.example.org", CACHE_URL=SHARED_CACHE
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.slow
def test_production_refuses_the_development_key():
    result = manage(
        "check",
        SECRET_KEY=DEVELOPMENT_KEY + "a" * 30,
        ALLOWED_HOSTS="tracker.example.org",
        CACHE_URL=SHARED_CACHE,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.slow
def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", SECRET_KEY=REAL_SECRET, CACHE_URL=SHARED_CACHE)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


@pytest.mark.slow
def test_check_deploy_is_clean_under_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_production_answers_carry_hsts_and_the_security_headers():
    script = (
        "from django.test import Client; "
        "r = Client().get('/no-such-page/', secure=True, "
        "HTTP_HOST='tracker.example.org'); "
        "print(r.status_code); "
        "[print(f'{h}: {r.get(h)}') for h in ('Strict-Transport-Security', "
        "'Content-Security-Policy', 'X-Content-Type-Options', "
        "'Referrer-Policy', 'Permissions-Policy')]"
    )
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "404"
    headers = dict(line.split(": ", 1) for line in lines[1:])
    assert headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "microphone=()" in headers["Permissions-Policy"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("cache_url", "named"),
    [
        (None, "LocMemCache"),
        ("locmemcache://", "LocMemCache"),
        ("dummycache://", "DummyCache"),
    ],
    ids=["unset", "local-memory", "dummy"],
)
def test_production_refuses_a_cache_private_to_one_process(cache_url, named):
    env = {**PRODUCTION}
    del env["CACHE_URL"]
    if cache_url:
        env["CACHE_URL"] = cache_url

    result = manage("check", **env)

    assert result.returncode != 0
    assert "CACHE_URL must name a cache every web process shares" in result.stderr
    assert named in result.stderr


@pytest.mark.slow
def test_production_refuses_the_private_feed_override():
    result = manage("check", TRACKER_ALLOW_PRIVATE_FEEDS="1", **PRODUCTION)

    assert result.returncode != 0
    assert "TRACKER_ALLOW_PRIVATE_FEEDS is for local development" in result.stderr


@pytest.mark.slow
def test_production_refuses_the_private_webhook_override():
    result = manage("check", TRACKER_ALLOW_PRIVATE_WEBHOOKS="1", **PRODUCTION)

    assert result.returncode != 0
    assert "TRACKER_ALLOW_PRIVATE_WEBHOOKS is for local development" in result.stderr


@pytest.mark.slow
def test_development_still_accepts_the_private_feed_override():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.TRACKER_ALLOW_PRIVATE_FEEDS)",
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        TRACKER_ALLOW_PRIVATE_FEEDS="1",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


# Every way a process starts: web (WSGI, ASGI), worker and beat (the
# Celery app), and manage.py.
ENTRY_POINTS = {
    "wsgi": [sys.executable, "-c", "import config.wsgi"],
    "asgi": [sys.executable, "-c", "import config.asgi"],
    "celery": [str(Path(sys.executable).parent / "celery"), "-A", "config", "report"],
    "manage.py": [sys.executable, "manage.py", "check"],
}


@pytest.mark.slow
@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_every_process_started_bare_runs_production_settings(entry_point):
    """No DJANGO_SETTINGS_MODULE: each entry point falls back to production,
    which then refuses to start without its secret, instead of running
    development settings on a server."""
    result = run(ENTRY_POINTS[entry_point])

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert "DJANGO_SETTINGS_MODULE=config.settings.dev" in result.stderr


@pytest.mark.slow
def test_a_worker_started_bare_on_a_configured_server_loads_production():
    result = run(ENTRY_POINTS["celery"], **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "SECURE_HSTS_PRELOAD: True" in result.stdout
    assert "DEBUG: False" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_every_process_obeys_an_explicit_settings_module(entry_point):
    result = run(
        ENTRY_POINTS[entry_point], DJANGO_SETTINGS_MODULE="config.settings.dev"
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("procfile", "module"),
    [
        ("Procfile", "config.settings.production"),
        ("Procfile.dev", "config.settings.dev"),
    ],
)
def test_every_procfile_process_names_its_settings_module(procfile, module):
    processes = [
        line
        for line in (ROOT / procfile).read_text().splitlines()
        if line and not line.startswith("#")
    ]

    assert [name.split(":")[0] for name in processes] == ["web", "worker", "beat"]
    for process in processes:
        assert f": DJANGO_SETTINGS_MODULE={module} " in process


def test_the_readme_worker_example_names_production_settings():
    readme = (ROOT / "README.md").read_text()
    example = readme.split("### More workers on other machines", 1)[1]
    command = example.split("```sh", 1)[1].split("```", 1)[0]

    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in command
    assert "celery -A config worker" in command


def test_the_shared_settings_read_top_to_bottom():
    """base.py defines each setting once, whole: no `+=`, `|=` or second
    assignment patching it further down."""
    tree = ast.parse((ROOT / "config" / "settings" / "base.py").read_text())
    patched = [
        node.target.id
        for node in tree.body
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name)
    ]
    assigned = [
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.isupper()
    ]
    twice = {name for name in assigned if assigned.count(name) > 1}

    assert len(assigned) > 50
    assert patched == []
    assert twice == set()


@pytest.fixture
def checkout_with_dotenv(tmp_path):
    """A copy of the settings package beside a `.env` that changes a
    setting, as a developer's checkout would have it."""
    shutil.copytree(
        ROOT / "config",
        tmp_path / "config",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (tmp_path / ".env").write_text("API_ANON_RATE=7/min\n")
    return tmp_path


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "rate"),
    [
        ("config.settings.dev", "7/min"),
        ("config.settings.production", "120/min"),
        ("config.settings.test", "120/min"),
    ],
)
def test_only_development_reads_the_dotenv_file(checkout_with_dotenv, module, rate):
    script = (
        "from django.conf import settings; "
        "print(settings.BASE_DIR); print(settings.TRACKER_API_ANON_RATE)"
    )

    result = run(
        [sys.executable, "-c", script],
        cwd=checkout_with_dotenv,
        DJANGO_SETTINGS_MODULE=module,
        PYTHONPATH=str(checkout_with_dotenv),
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    base_dir, loaded_rate = result.stdout.split()
    assert base_dir == str(checkout_with_dotenv)
    assert loaded_rate == rate
