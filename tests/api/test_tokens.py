import io

import pytest
from django.core.management import CommandError, call_command

from tests import factories as f
from tracker.models import ApiToken
from tracker.models.tokens import token_hash


def test_create_api_token_prints_a_key_stored_only_as_a_hash(staff_user, api):
    out = io.StringIO()
    call_command("create_api_token", "staff", stdout=out, stderr=io.StringIO())
    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.user == staff_user
    assert key.startswith(token.prefix + ".")
    assert token.key_hash == token_hash(key)
    assert key not in {token.prefix, token.key_hash, token.name}
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.post("/api/v1/people/", {"name": "X"}, format="json")
    # Staff, but without the model permission: known, so 403 not 401.
    assert response.status_code == 403


def test_create_api_token_refuses_a_user_who_is_not_staff(db):
    f.UserFactory(username="reader")
    with pytest.raises(CommandError, match="not staff"):
        call_command("create_api_token", "reader")
    assert not ApiToken.objects.exists()


def test_create_api_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("create_api_token", "ghost")


def test_staff_revoke_tokens_in_the_admin(admin_client, staff_user):
    token, _ = ApiToken.issue(staff_user)
    response = admin_client.post(
        "/admin/tracker/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    listing = admin_client.get("/admin/tracker/apitoken/")
    assert token.prefix in listing.content.decode()
