"""The Atom feeds, read back as a feed reader would (feedparser): the
evidence feed, a feed per record and the approved news."""

import feedparser
import pytest

from tests import factories
from tests.web.news_factories import ArticleMatchFactory
from tracker import choices
from tracker.models import Citation

pytestmark = pytest.mark.django_db


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    # What Atom 1.0 requires of a feed and of every entry.
    assert feed.feed.title and feed.feed.id and feed.feed.updated
    assert feed.feed.author
    for entry in feed.entries:
        assert entry.title and entry.id and entry.updated and entry.link
    return feed


def test_the_evidence_feed_carries_new_and_changed_claims_with_sources(client):
    source = factories.SourceFactory(
        title="HBO's memo", url="https://example.org/hbo-memo"
    )
    policy = factories.PolicyFactory(
        title="ICs on every set", slug="hbo-ics", cite=source
    )
    Citation.objects.create(
        claim=policy,
        source=factories.SourceFactory(title="A narrower reading"),
        stance=choices.CitationStance.DISPUTES,
        quote="Only productions with intimate scenes.",
    )
    factories.StatementFactory(quote="Safe sets matter.", slug="safe-sets")
    factories.PersonFactory(name="Not a claim")

    feed = read(client, "/feeds/evidence.atom")
    entries = {entry.link: entry for entry in feed.entries}

    assert set(entries) == {
        "http://testserver/policies/hbo-ics/",
        "http://testserver/statements/safe-sets/",
    }
    policy_entry = entries["http://testserver/policies/hbo-ics/"]
    assert policy_entry.title.startswith("Policy: ")
    assert "https://example.org/hbo-memo" in policy_entry.summary
    assert "Disputes" in policy_entry.summary
    assert "(disputed)" in policy_entry.summary


def test_a_changed_claim_moves_to_the_top_of_the_evidence_feed(client):
    first = factories.StatementFactory(slug="first")
    factories.StatementFactory(slug="second")
    first.venue = "A podcast"
    first.save()

    feed = read(client, "/feeds/evidence.atom")

    assert feed.entries[0].link == "http://testserver/statements/first/"


def test_a_record_feed_lists_its_changes_and_its_citations(client):
    production = factories.ProductionFactory(title="Intimacy", slug="intimacy")
    production.ic_notes = "Credited on screen."
    production.save()

    feed = read(client, "/productions/intimacy/feed.atom")
    titles = [entry.title for entry in feed.entries]

    assert feed.feed.title == "Changes to Intimacy (2023)"
    assert "Changed: IC notes" in titles
    assert any(title.startswith("Added") for title in titles)
    assert any(title.startswith("Citation added") for title in titles)
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)


@pytest.mark.parametrize(
    ("factory", "path"),
    [
        (factories.PersonFactory, "people"),
        (factories.OrganizationFactory, "organizations"),
        (factories.SourceFactory, "sources"),
        (factories.CampaignFactory, "campaigns"),
        (factories.AwardOutcomeFactory, "award-outcomes"),
    ],
)
def test_every_record_page_has_its_feed(client, factory, path):
    record = factory()

    feed = read(client, f"/{path}/{record.slug}/feed.atom")

    assert feed.entries


def test_a_milestone_has_its_feed(client):
    milestone = factories.CampaignMilestoneFactory()

    assert read(client, f"/milestones/{milestone.pk}/feed.atom").entries


def test_an_unknown_records_feed_is_a_404(client):
    assert client.get("/people/nobody/feed.atom").status_code == 404


def test_the_news_feed_carries_approved_news_only(client):
    ArticleMatchFactory(
        article__title="Checked by staff",
        article__canonical_url="https://trade.example.org/checked",
    )
    ArticleMatchFactory(
        article__title="Still pending", review_status=choices.ReviewStatus.PENDING
    )

    feed = read(client, "/feeds/news.atom")

    assert [entry.title for entry in feed.entries] == ["Checked by staff"]
    assert feed.entries[0].link == "https://trade.example.org/checked"


def test_every_page_names_the_feeds_for_readers_to_subscribe(client):
    html = client.get("/").content.decode()

    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="New and changed evidence" href="/feeds/evidence.atom">' in html
    )
    assert 'href="/feeds/evidence.atom">Follow new and changed evidence' in html


def test_the_evidence_feed_quotes_verbatim_passages_and_labels_paraphrases(client):
    policy = factories.PolicyFactory(slug="hbo-ics", cite=False)
    for quote, kind in (
        ("HBO requires a coordinator on set.", choices.QuoteKind.VERBATIM),
        ("“Every set needs one.”", choices.QuoteKind.VERBATIM),
        ("HBO said coordinators are now mandatory.", choices.QuoteKind.PARAPHRASE),
    ):
        Citation.objects.create(
            claim=policy, source=factories.SourceFactory(), quote=quote, quote_kind=kind
        )

    feed = read(client, "/feeds/evidence.atom")
    summary = feed.entries[0].summary

    assert "“HBO requires a coordinator on set.”" in summary
    # Already one quotation end to end: shown as it is, not in a second pair.
    assert "“Every set needs one.”" in summary
    assert "““" not in summary and "””" not in summary
    # A paraphrase is the tracker's summary: labelled, never in quotation marks.
    assert "Paraphrase:</span> HBO said coordinators are now mandatory." in summary
    assert "“HBO said coordinators" not in summary


def test_the_evidence_feed_labels_a_claims_own_paraphrase(client):
    factories.StatementFactory(
        quote="She said sets are safer with one.",
        quote_kind=choices.QuoteKind.PARAPHRASE,
        slug="safer",
    )

    summary = read(client, "/feeds/evidence.atom").entries[0].summary
    # The claim's own quote, above the sources it cites.
    own = summary.split("Sources:")[0]

    assert "Paraphrase:</span> She said sets are safer with one." in own
    assert "“" not in own


def test_a_record_feed_labels_a_paraphrased_citation(client):
    production = factories.ProductionFactory(slug="intimacy", cite=False)
    Citation.objects.create(
        claim=production,
        source=factories.SourceFactory(title="Paraphrased"),
        quote="The studio hired a coordinator.",
        quote_kind=choices.QuoteKind.PARAPHRASE,
    )
    Citation.objects.create(
        claim=production,
        source=factories.SourceFactory(title="Quoted"),
        quote="A coordinator was hired.",
    )

    feed = read(client, "/productions/intimacy/feed.atom")
    summaries = {
        entry.title: entry.summary
        for entry in feed.entries
        if entry.title.startswith("Citation")
    }

    paraphrased = summaries["Citation added: Paraphrased"]
    assert "Paraphrase:</span> The studio hired a coordinator." in paraphrased
    assert "<blockquote" not in paraphrased
    assert "<blockquote" in summaries["Citation added: Quoted"]
    assert "“A coordinator was hired.”" in summaries["Citation added: Quoted"]


def test_the_evidence_feed_says_what_a_disputing_source_says_instead(client):
    policy = factories.PolicyFactory(slug="hbo-ics")
    Citation.objects.create(
        claim=policy,
        source=factories.SourceFactory(title="A feature"),
        stance=choices.CitationStance.DISPUTES,
        source_says="all their sets",
        quote="HBO has now mandated intimacy coordinators on all their sets",
    )

    summary = read(client, "/feeds/evidence.atom").entries[0].summary

    assert "(disputed)" in summary
    assert "this source says instead: all their sets" in summary
