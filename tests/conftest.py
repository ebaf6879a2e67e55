import os

import pytest

from tests import factories


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
