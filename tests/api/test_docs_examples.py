"""The curl commands in docs/api.md work against the demo data: each read
URL answers 200, and the three questions find their answers."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "api.md"
BASE = "http://127.0.0.1:8000"
CURL_URL = re.compile(r'"(http://127\.0\.0\.1:8000/[^"]*)"')


def _curl_commands() -> list[str]:
    """Each curl command in the guide's sh blocks, continuation lines joined."""
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(), re.DOTALL)
    text = "\n".join(blocks).replace("\\\n", " ")
    return [line for line in text.splitlines() if "curl " in line]


def _read_urls(*, staff: bool = False) -> list[str]:
    """The read examples: the public ones, or (staff) those sent with a
    token."""
    return [
        url
        for command in _curl_commands()
        if " -X " not in command and ("Authorization: Token" in command) is staff
        for url in CURL_URL.findall(command)
    ]


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


@pytest.fixture
def demo_loaded(db):
    call_command("load_demo_data", verbosity=0)


def test_the_guide_has_its_examples():
    urls = _read_urls()
    assert len(urls) >= 10
    assert all(url.startswith(BASE) for url in urls)


@pytest.mark.parametrize("url", _read_urls())
def test_every_read_example_answers(api, demo_loaded, url):
    response = api.get(_path(url))
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("url", _read_urls(staff=True))
def test_every_staff_read_example_answers_staff_only(
    api, demo_loaded, token_client, url
):
    from tests import factories as f

    staff = token_client(f.StaffFactory(username="desk"))

    assert staff.get(_path(url)).status_code == 200
    assert api.get(_path(url)).status_code == 400


def test_the_staff_news_examples_are_there():
    assert len(_read_urls(staff=True)) == 3


def _results(api, fragment):
    (url,) = [u for u in _read_urls() if u.endswith(fragment)]
    return api.get(_path(url)).json()["results"]


def test_the_2024_question(api, demo_loaded):
    (series,) = _results(api, "kind=series&year_min=2024&year_max=2024")
    assert series["title"] == "Bridgerton"
    assert series["coordinators"] == []  # the article does not name them
    titles = {
        p["title"]: [c["name"] for c in p["coordinators"]]
        for p in _results(api, "?ic_status=used&year_min=2024&year_max=2024")
    }
    assert titles["Challengers"] == ["Mam Smith"]


def test_the_bafta_question(api, demo_loaded):
    (mention,) = _results(api, "award-mentions/?body=bafta")
    assert mention["coordinator"]["name"] == "Ita O'Brien"
    assert mention["speaker"]["name"] == "Michaela Coel"


def test_the_against_question(api, demo_loaded):
    (statement,) = _results(api, "statements/?stance=opposes")
    assert statement["speaker"]["name"] == "Sean Bean"
    assert statement["citations"][0]["title"]


def test_the_etag_example_gets_a_304(api, demo_loaded):
    (url,) = {u for u in _read_urls() if "policies/?organization=hbo" in u}
    etag = api.get(_path(url))["ETag"]
    assert api.get(_path(url), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_bad_value_example_is_what_the_api_says(api, db):
    body = api.get("/api/v1/productions/?ic_status=maybe").json()
    assert body["ic_status"][0].startswith("Select a valid choice")


def test_the_write_example_works_with_a_token(demo_loaded, token_client):
    from django.contrib.auth.models import Permission

    from tests import factories as f

    (command,) = [c for c in _curl_commands() if "-X PATCH" in c]
    staff = f.StaffFactory(username="alice")
    staff.user_permissions.add(Permission.objects.get(codename="change_statement"))
    (url,) = CURL_URL.findall(command)
    response = token_client(staff).patch(
        _path(url), {"venue": "BBC interview"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["venue"] == "BBC interview"
