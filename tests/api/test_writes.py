"""Staff writes go through the services: the citation rule and the model's
own validation hold, and errors are 4xx JSON, never a 500."""

import pytest
from django.contrib.auth.models import Permission

from tests import factories as f
from tests.api.resources import CLAIM_RESOURCES
from tracker import models


@pytest.fixture
def curator(db, token_client):
    user = f.StaffFactory(username="curator")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="tracker")
    )
    return token_client(user)


@pytest.mark.parametrize("resource", CLAIM_RESOURCES, ids=str)
def test_a_claim_without_a_source_is_refused(curator, resource):
    payload = resource.payload()
    payload.pop("citations")
    before = resource.model.objects.count()
    response = curator.post(f"/api/v1/{resource.path}/", payload, format="json")
    assert response.status_code == 400
    assert "citations" in response.json()
    assert resource.model.objects.count() == before


def test_a_new_claim_keeps_its_citation_inline(curator):
    source = f.SourceFactory(title="Set report", url="https://example.org/set")
    response = curator.post(
        "/api/v1/statements/",
        {
            "speaker": f.PersonFactory(name="Sean Bean").slug,
            "quote": "It spoils the spontaneity.",
            "stance": "opposes",
            "citations": [
                {"source": source.slug, "quote": "“It spoils the spontaneity,” he said"}
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    (citation,) = response.json()["citations"]
    assert citation["url"] == "https://example.org/set"
    assert citation["quote"] == "“It spoils the spontaneity,” he said"
    assert models.Statement.objects.get().citations.count() == 1


def test_an_unknown_production_status_needs_no_citation(curator):
    response = curator.post(
        "/api/v1/productions/",
        {"title": "Unchecked", "kind": "feature", "ic_status": "unknown"},
        format="json",
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("path", "payload", "expected"),
    [
        (
            "productions",
            {
                "title": "Backwards",
                "kind": "series",
                "start_year": 2024,
                "end_year": 2020,
                "ic_status": "unknown",
            },
            {"end_year": ["It cannot end before it starts (start_year)."]},
        ),
        (
            "productions",
            {
                "title": "Unsaid",
                "kind": "feature",
                "ic_status": "used",
                "citations": "cite",
            },
            {"ic_evidence": ["Say how strong the evidence for the IC status is."]},
        ),
        (
            "award-categories",
            {
                "award_body": "body",
                "name": "Best Casting",
                "status": "introduced",
                "citations": "cite",
            },
            {
                "year_introduced": [
                    "A newly introduced category needs the year it was introduced."
                ]
            },
        ),
    ],
    ids=["ends-before-it-starts", "status-without-evidence", "introduced-no-year"],
)
def test_a_model_constraint_is_a_400_naming_the_field(curator, path, payload, expected):
    if payload.get("citations") == "cite":
        payload["citations"] = [{"source": f.SourceFactory().slug}]
    if payload.get("award_body") == "body":
        payload["award_body"] = f.AwardBodyFactory().slug

    response = curator.post(f"/api/v1/{path}/", payload, format="json")

    assert response.status_code == 400
    assert response.json() == expected


def test_an_unknown_related_slug_is_a_400_naming_the_field(curator):
    response = curator.post(
        "/api/v1/policies/",
        {
            "organization": "no-such-org",
            "title": "T",
            "scope": "S",
            "status": "mandated",
            "citations": [{"source": f.SourceFactory().slug}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "organization" in response.json()


def test_deleting_a_record_others_depend_on_is_a_409(curator):
    production = f.ProductionFactory()
    f.StatementFactory(production=production)
    response = curator.delete(f"/api/v1/productions/{production.slug}/")
    assert response.status_code == 409
    assert "detail" in response.json()
    assert models.Production.objects.filter(pk=production.pk).exists()
    assert production.citations.count() == 1


def test_malformed_json_is_a_400(curator):
    response = curator.post(
        "/api/v1/people/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()
