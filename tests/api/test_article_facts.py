"""The article's facts, loaded as demo data, are reachable through the API
with the filters a journalist would use."""

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_loaded(db):
    call_command("load_demo_data", verbosity=0)


def _only(api, url):
    response = api.get(url)
    assert response.status_code == 200, response.content
    (record,) = response.json()["results"]
    return record


def test_coels_bafta_dedication_to_ita_obrien(api, demo_loaded):
    mention = _only(
        api, "/api/v1/award-mentions/?coordinator=ita-obrien&body=bafta&year=2021"
    )
    assert mention["slug"] == "michaela-coel-dedication-ita-obrien-2021"
    assert mention["kind"] == "dedication"
    assert mention["speaker"] == {"slug": "michaela-coel", "name": "Michaela Coel"}
    assert mention["coordinator"]["name"] == "Ita O'Brien"
    assert mention["production"]["title"] == "I May Destroy You"
    assert "making the space safe" in mention["quote"]
    stances = {c["publisher"]: c["stance"] for c in mention["citations"]}
    assert stances["The Guardian"] == "supports"
    # The seed ties the dedication to another award: it disputes.
    assert stances["MetaMedia Capital Inc."] == "disputes"


def test_game_of_thrones_had_no_ic(api, demo_loaded):
    production = _only(api, "/api/v1/productions/?network=hbo&ic_status=not_used")
    assert production["title"] == "Game of Thrones"
    assert production["coordinators"] == []
    (citation,) = production["citations"]
    assert "did not have an intimacy coordinator" in citation["quote"]


def test_hbos_policy(api, demo_loaded):
    policy = _only(api, "/api/v1/policies/?organization=hbo")
    assert policy["slug"] == "hbo-intimacy-coordinators-for-intimate-scenes"
    assert policy["status"] == "mandated"
    assert policy["citations"]


def test_sean_beans_opposing_statement(api, demo_loaded):
    statement = _only(api, "/api/v1/statements/?stance=opposes")
    assert statement["speaker"] == {"slug": "sean-bean", "name": "Sean Bean"}
    assert "spoil the spontaneity" in statement["quote"]
    # The article behind the demo data has no address; its title names it.
    assert any(
        c["title"].startswith("The Case for an Oscar") for c in statement["citations"]
    )


def test_the_coordinator_is_found_by_search_and_by_detail(api, demo_loaded):
    person = _only(api, "/api/v1/people/?search=obrien")
    assert person["slug"] == "ita-obrien"
    detail = api.get("/api/v1/people/ita-obrien/").json()
    assert {c["production"]["slug"] for c in detail["credits"]} == {
        "i-may-destroy-you",
        "normal-people",
    }
