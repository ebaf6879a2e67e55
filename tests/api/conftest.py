import pytest
from rest_framework.test import APIClient

from tests import factories
from tracker.models import ApiToken


@pytest.fixture
def api(db):
    return APIClient()


@pytest.fixture
def token_client(db):
    """A client factory authenticating with a real API token."""

    def make(user):
        _, key = ApiToken.issue(user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def demo(db):
    from tracker.demo import demo_data_load

    demo_data_load()


@pytest.fixture
def user(db):
    return factories.UserFactory(username="reader")
