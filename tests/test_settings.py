"""Production settings refuse to start unsafely and pass Django's deploy
checks; they are run in a subprocess, as a deployment would load them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_SECRET = "x7Qp2-" + "k" * 60  # pragma: allowlist secret
DEVELOPMENT_KEY = "dev-only-insecure-key-do-not-deploy"  # pragma: allowlist secret


def manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env)
    return subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="tracker.example.org")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key():
    result = manage(
        "check",
        SECRET_KEY=DEVELOPMENT_KEY + "a" * 30,
        ALLOWED_HOSTS="tracker.example.org",
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", SECRET_KEY=REAL_SECRET)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=REAL_SECRET,
        ALLOWED_HOSTS="tracker.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


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
        SECRET_KEY=REAL_SECRET,
        ALLOWED_HOSTS="tracker.example.org",
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
