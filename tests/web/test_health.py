"""/healthz and /readyz against the real local services, and against a
cache or broker on a closed port of 127.0.0.1."""

import socket

import pytest
import redis
from django.core.cache import caches

from tests.conftest import services_required

REDIS_URL = "redis://127.0.0.1:6379/4"


def closed_port() -> int:
    """A port nothing listens on: bound once by the system, then freed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def local_redis():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        message = f"Redis is not reachable at {REDIS_URL}: {exc}"
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    return REDIS_URL


def redis_cache(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "tracker.cache_backend.TrackerRedisCache",
            "LOCATION": url,
        }
    }


@pytest.fixture
def real_services(settings, local_redis, monkeypatch):
    """The test database, Redis as the cache and Redis as the broker (Celery
    reads CELERY_BROKER_URL from the environment before its settings)."""
    redis_cache(settings, local_redis)
    monkeypatch.setenv("CELERY_BROKER_URL", local_redis)
    yield
    caches["default"].close()


@pytest.mark.django_db
def test_healthz_answers_without_any_service(client, monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{closed_port()}/0")

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ready_when_database_cache_and_broker_answer(client, real_services):
    response = client.get("/readyz")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }


@pytest.mark.django_db
def test_readyz_names_an_unreachable_broker(client, real_services, monkeypatch, caplog):
    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{closed_port()}/0")

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert body["checks"]["database"] == body["checks"]["cache"] == "ok"
    assert body["checks"]["broker"].startswith("failing: ")
    (record,) = [r for r in caplog.records if r.name == "tracker.web.health"]
    assert record.getMessage() == "Readiness check failed: broker"
    assert record.exc_info is not None


@pytest.mark.django_db
def test_readyz_names_an_unreachable_cache(client, real_services, settings):
    redis_cache(settings, f"redis://127.0.0.1:{closed_port()}/0")

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["cache"]
    assert body["checks"]["cache"] == "failing: ConnectionError"
    assert body["checks"]["broker"] == "ok"


@pytest.mark.django_db
def test_readyz_names_every_failing_part_at_once(
    client, real_services, settings, monkeypatch
):
    redis_cache(settings, f"redis://127.0.0.1:{closed_port()}/0")
    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{closed_port()}/0")

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["cache", "broker"]
