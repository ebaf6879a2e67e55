import os

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database rolls back
    between tests, the local-memory cache (counts, throttles, the case
    page) would not."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def services_required() -> bool:
    """On CI a missing service is a failure, never a skip."""
    return os.environ.get("TRACKER_REQUIRE_SERVICES") == "1"


@pytest.fixture
def staff_user(db):
    return factories.StaffFactory(username="staff")


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def redis_url_for_tests() -> str:
    # CI points CELERY_BROKER_URL at its Redis: use that server.
    broker = os.environ.get("CELERY_BROKER_URL", "")
    return os.environ.get("TRACKER_TEST_REDIS_URL") or (
        broker if broker.startswith("redis://") else "redis://127.0.0.1:6379/2"
    )


@pytest.fixture
def shared_cache(settings):
    """The default cache on Redis, as production shares it between
    processes, under a key prefix of this test's own; yields a raw client
    to look at what is stored, as another process would."""
    import uuid

    import redis

    url = redis_url_for_tests()
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        message = f"Redis is not reachable at {url}: {exc}"
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "tracker.cache_backend.TrackerRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    yield client
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
