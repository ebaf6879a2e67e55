"""Evidence integrity through the API: quotes, disputes and cohorts."""

import pytest
from django.contrib.auth.models import Permission

from tests import factories as f
from tracker.models import Statement


@pytest.fixture
def curator(db, token_client):
    user = f.StaffFactory(username="curator")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="tracker")
    )
    return token_client(user)


def test_the_api_refuses_a_misquote_with_a_field_named_400(curator):
    response = curator.post(
        "/api/v1/statements/",
        {
            "speaker": f.PersonFactory().slug,
            "quote": "Words nobody printed.",
            "stance": "supports",
            "citations": [{"source": f.SourceFactory().slug, "quote": "Other words."}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "verbatim quote must appear" in response.json()["quote"][0]
    assert not Statement.objects.exists()


def test_the_api_refuses_a_deprecation_without_a_reason(curator):
    statement = f.StatementFactory()

    response = curator.patch(
        f"/api/v1/statements/{statement.slug}/",
        {"deprecated_on": "2026-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert "deprecation_reason" in response.json()
