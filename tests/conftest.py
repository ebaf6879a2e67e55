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
