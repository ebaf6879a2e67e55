"""Anyone reads; writes need a token of a staff member holding the model
permission; everyone else gets 401 or 403 with a JSON body."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from tests import factories as f
from tests.api.resources import RESOURCES

WRITES = ("post", "put", "patch", "delete")


def _request(client, method, resource, obj):
    base = f"/api/v1/{resource.path}/"
    if method == "get":
        return client.get(f"{base}{obj.slug}/")
    if method == "post":
        return client.post(base, resource.payload(), format="json")
    if method == "put":
        return client.put(f"{base}{obj.slug}/", resource.payload(), format="json")
    if method == "patch":
        return client.patch(f"{base}{obj.slug}/", resource.patch, format="json")
    return client.delete(f"{base}{obj.slug}/")


def _grant(user, resource):
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="tracker",
            codename__in=[
                f"{action}_{resource.codename}"
                for action in ("add", "change", "delete")
            ],
        )
    )


@pytest.fixture
def clients(db, token_client):
    staff_with = f.StaffFactory(username="curator")
    return {
        "anonymous": APIClient(),
        "reader": token_client(f.UserFactory(username="reader")),
        "staff_without_permission": token_client(f.StaffFactory(username="intern")),
        "staff_with_permission": (token_client(staff_with), staff_with),
    }


EXPECTED_WRITE = {
    "anonymous": 401,
    "reader": 403,
    "staff_without_permission": 403,
}
SUCCESS = {"get": 200, "post": 201, "put": 200, "patch": 200, "delete": 204}


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
@pytest.mark.parametrize("method", ("get", *WRITES))
@pytest.mark.parametrize("who", (*EXPECTED_WRITE, "staff_with_permission"))
def test_permission_matrix(clients, resource, method, who):
    client = clients[who]
    if who == "staff_with_permission":
        client, user = client
        _grant(user, resource)
    obj = resource.make()
    response = _request(client, method, resource, obj)
    if method == "get" or who == "staff_with_permission":
        expected = SUCCESS[method]
    else:
        expected = EXPECTED_WRITE[who]
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response["Content-Type"].startswith("application/json")
        assert "detail" in response.json()
    if method == "delete" and expected == 204:
        assert not resource.model.objects.filter(pk=obj.pk).exists()
    if method in ("get", "patch", "put", "post") and expected < 300:
        assert response.json()["slug"]


def test_a_permission_for_one_model_does_not_open_another(clients):
    client, user = clients["staff_with_permission"]
    _grant(user, RESOURCES[0])
    person = f.PersonFactory()
    response = client.patch(
        f"/api/v1/people/{person.slug}/", {"description": "x"}, format="json"
    )
    assert response.status_code == 403


def test_a_revoked_token_is_refused(db, token_client):
    from tracker.models import ApiToken

    client = token_client(f.StaffFactory(username="left"))
    ApiToken.objects.get().revoke()
    response = client.get("/api/v1/productions/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid or revoked token."


def test_a_wrong_token_is_refused(api):
    api.credentials(HTTP_AUTHORIZATION="Token deadbeef.not-the-secret")
    response = api.get("/api/v1/productions/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_session_login_does_not_write(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        "/api/v1/people/", {"name": "X"}, content_type="application/json"
    )
    assert response.status_code == 401
