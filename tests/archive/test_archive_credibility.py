"""What the archive page says about each highlighted passage (whether it
supports or disputes its claim, and a link to the claim's own page) and
whose text it is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests import factories
from tracker.choices import CitationStance
from tracker.models import Citation
from tracker.services.archive import snapshot_ship
from tracker.web.records import record_url

pytestmark = pytest.mark.django_db

TEXT = (
    "Intro. HBO has now mandated intimacy coordinators on all their sets. "
    "Middle. The coordinator was on set every day. Thanks to the team. End."
)


@pytest.fixture
def source():
    source = factories.SourceFactory(url="", publisher="MetaMedia Capital Inc.")
    snapshot_ship(source=source, text=TEXT, shipped_at=timezone.now())
    return source


def cite(source, claim, quote, **fields):
    return Citation.objects.create(claim=claim, source=source, quote=quote, **fields)


def archive(client, source):
    response = client.get(reverse("web:source_archive", args=[source.slug]))
    assert response.status_code == 200
    return response.content.decode()


def label(page, quote):
    """What the page says right after the highlighted `quote`."""
    after = page.split(f">{quote}</mark>", 1)[1]
    return after.split("</mark>", 1)[0]


def test_a_disputing_passage_says_it_disputes_and_what_the_source_says(client, source):
    policy = factories.PolicyFactory(title="ICs where scenes are intimate")
    cite(
        source,
        policy,
        "HBO has now mandated intimacy coordinators on all their sets.",
        stance=CitationStance.DISPUTES,
        source_says="all their sets",
    )
    production = factories.ProductionFactory()
    cite(source, production, "The coordinator was on set every day.")

    page = archive(client, source)

    disputing = label(
        page, "HBO has now mandated intimacy coordinators on all their sets."
    )
    assert "Disputes" in disputing and "Supports" not in disputing
    assert "this source says instead: all their sets" in disputing
    assert escape(str(policy)) in disputing
    supporting = label(page, "The coordinator was on set every day.")
    assert "Supports" in supporting and "Disputes" not in supporting
    assert "cited for:" not in page


def test_each_passage_links_its_claims_own_page(client, source):
    """A statement links its own page, not its speaker's; a milestone its
    own, not its campaign's."""
    statement = factories.StatementFactory(quote="Thanks to the team.")
    milestone = factories.CampaignMilestoneFactory()
    mention = factories.AwardMentionFactory(quote="Thanks to the team.")
    cite(source, statement, "Thanks to the team.")
    cite(source, milestone, "The coordinator was on set every day.")
    cite(source, mention, "Thanks to the team.")

    page = archive(client, source)

    for claim in (statement, milestone, mention):
        assert f'class="archive__claim" href="{record_url(claim)}"' in page
    assert reverse("web:person", args=[statement.speaker.slug]) not in page
    assert reverse("web:campaign", args=[milestone.campaign.slug]) not in page
    assert 'class="archive__claim" href="/#evidence"' not in page


def test_a_claim_with_no_page_of_its_own_links_its_production(client, source):
    credit = factories.CreditFactory()
    cite(source, credit, "The coordinator was on set every day.")

    page = archive(client, source)

    assert f'class="archive__claim" href="{record_url(credit.production)}"' in page


def test_the_archive_page_says_whose_text_it_is(client, source):
    factories.ProductionFactory()

    page = archive(client, source)

    notice = page.split('class="archive__text"', 1)[0]
    notice = notice.rsplit('class="notice archive__rights"', 1)[1]
    assert "MetaMedia Capital Inc." in notice
    assert "check each quote" in notice
    assert "not covered by the tracker's data licence (CC BY 4.0)" in notice


def test_a_source_without_a_copy_has_no_rights_notice(client):
    page = archive(client, factories.SourceFactory())

    assert "archive__rights" not in page


def test_a_quote_not_in_the_copy_says_its_stance_and_kind(client, source):
    production = factories.ProductionFactory()
    cite(
        source,
        production,
        "The tracker's summary, not in the copy.",
        stance=CitationStance.DISPUTES,
        quote_kind="paraphrase",
        source_says="another year",
    )

    page = archive(client, source)
    missing = page.split("Quotes not found in this copy", 1)[1]

    assert "Disputes" in missing
    assert "this source says instead: another year" in missing
    assert "Paraphrase:</span> The tracker&#x27;s summary, not in the copy." in missing
    assert "“The tracker" not in missing


def test_the_archive_page_costs_the_same_for_one_cited_statement_or_many(
    client, source
):
    # A statement's label names its speaker, a mention its speaker and
    # coordinator: joined once per kind of claim, not once per citation.
    cite(source, factories.StatementFactory(), "The coordinator was on set")
    cite(source, factories.AwardMentionFactory(), "Thanks to the team")
    with CaptureQueriesContext(connection) as one:
        archive(client, source)
    for _ in range(4):
        cite(source, factories.StatementFactory(), "The coordinator was on set")
        cite(source, factories.AwardMentionFactory(), "Thanks to the team")
    with CaptureQueriesContext(connection) as many:
        page = archive(client, source)

    assert page.count('class="archive__claim"') == 10
    assert len(many) == len(one)
