"""The site-wide search at /search/?q=: every kind of record and the
approved news, grouped by kind, through the same search the API uses."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.web.news_factories import ArticleMatchFactory
from tests.web.test_pages import text
from tracker import choices
from tracker.selectors.site_search import SEARCH_LIMIT

pytestmark = pytest.mark.django_db


def groups(response) -> dict[str, int]:
    return {
        name: int(count)
        for name, count in re.findall(
            r'<h2 id="group-[a-z-]+">([^<]+?) <span class="search-group__count">'
            r"\((\d+)\)</span>",
            response.content.decode(),
        )
    }


def test_a_statement_is_found_by_its_speakers_name(client):
    bean = factories.PersonFactory(name="Sean Bean", slug="sean-bean")
    factories.StatementFactory(
        speaker=bean,
        quote="They spoil the spontaneity.",
        stance=choices.Stance.OPPOSES,
        slug="sean-bean-spontaneity",
    )
    factories.StatementFactory(quote="Someone else entirely.")

    response = client.get("/search/", {"q": "sean bean"})

    assert groups(response) == {"People": 1, "Statements": 1}
    assert 'href="/statements/sean-bean-spontaneity/"' in response.content.decode()


def test_a_production_is_found_by_its_coordinators_name(client):
    ita = factories.PersonFactory(name="Ita O’Brien")
    production = factories.ProductionFactory(
        title="I May Destroy You", slug="i-may-destroy-you"
    )
    factories.CreditFactory(person=ita, production=production)
    performer = factories.PersonFactory(name="Ita Performer Obrien")
    factories.CreditFactory(
        person=performer,
        production=factories.ProductionFactory(title="Not coordinated by her"),
        role=choices.CreditRole.PERFORMER,
    )

    # Accents, case and apostrophes ignored: "obrien" finds O’Brien.
    response = client.get("/search/", {"q": "ita obrien"})

    assert groups(response)["Productions"] == 1
    assert 'href="/productions/i-may-destroy-you/"' in response.content.decode()


def test_every_kind_of_record_and_the_news_can_be_found(client):
    word = "Zyxwv"
    body = factories.AwardBodyFactory(name=f"{word} Academy")
    category = factories.AwardCategoryFactory(award_body=body, name=f"Best {word}")
    factories.ProductionFactory(title=f"{word} the Film")
    factories.SourceFactory(title=f"{word} report")
    factories.StatementFactory(quote=f"{word} matters.")
    factories.AwardOutcomeFactory(category=category)
    factories.AwardMentionFactory(quote=f"Thank you, {word}.")
    factories.PolicyFactory(title=f"{word} policy")
    factories.IndustryStatisticFactory(metric=f"{word} share")
    campaign = factories.CampaignFactory(name=f"{word} campaign")
    factories.CampaignMilestoneFactory(campaign=campaign, title=f"{word} letter")
    factories.PersonFactory(name=f"Ana {word}")
    ArticleMatchFactory(article__title=f"{word} in the news")
    ArticleMatchFactory(
        article__title=f"{word} still pending",
        review_status=choices.ReviewStatus.PENDING,
    )

    found = groups(client.get("/search/", {"q": word.lower()}))

    assert found == {
        "Productions": 1,
        "People": 1,
        "Organizations": 1,
        "Sources": 1,
        "Statements": 1,
        "Award categories": 1,
        "Award outcomes": 1,
        "Award mentions": 1,
        "Policies": 1,
        "Statistics": 1,
        "Campaigns": 1,
        "Campaign milestones": 1,
        "News": 1,
    }


def test_a_big_group_links_to_its_index_with_the_same_count(client):
    for index in range(SEARCH_LIMIT + 2):
        factories.PersonFactory(name=f"Smith {index}")

    response = client.get("/search/", {"q": "smith"})
    html = response.content.decode()

    assert groups(response) == {"People": SEARCH_LIMIT + 2}
    assert html.count('class="record-row"') == SEARCH_LIMIT
    assert 'href="/people/?search=smith"' in html
    index = client.get("/people/?search=smith").content.decode()
    assert f'data-count="{SEARCH_LIMIT + 2}"' in index


def test_nothing_found_says_so(client):
    page = text(client.get("/search/", {"q": "qwertyuiop"}))

    assert "Nothing matches “qwertyuiop”." in page


def test_the_search_box_is_in_the_header_of_every_page(client):
    factories.PersonFactory(slug="someone")

    for url in ("/", "/people/", "/people/someone/", "/search/?q=x"):
        html = client.get(url).content.decode()
        assert '<form class="site-search" role="search" action="/search/"' in html


def test_the_search_costs_the_same_however_many_match(client):
    for index in range(2):
        factories.StatementFactory(quote=f"Coordinators {index}")

    with CaptureQueriesContext(connection) as few:
        client.get("/search/", {"q": "coordinators"})
    for index in range(12):
        factories.StatementFactory(quote=f"Coordinators more {index}")
    with CaptureQueriesContext(connection) as many:
        client.get("/search/", {"q": "coordinators"})

    # One count query more once a group overflows; never one per row.
    assert len(many) == len(few) + 1
