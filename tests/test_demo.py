"""The demo loader: the seed article's facts and the reporting that
disagrees with it, loaded once, every quote a quote."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import F

from tracker import choices, tasks
from tracker.demo import SEED_ARTICLE_TEXT, DemoDataError, demo_data_load
from tracker.models import (
    CLAIM_MODELS,
    AwardCategory,
    AwardMention,
    AwardOutcome,
    Campaign,
    CampaignMilestone,
    Citation,
    Cohort,
    IndustryStatistic,
    Person,
    Policy,
    Production,
    Source,
    Statement,
)
from tracker.quotes import quote_in_passage

pytestmark = pytest.mark.django_db

SEED = "case-for-an-oscar-for-best-intimacy-coordinator"


@pytest.fixture
def demo():
    call_command("load_demo_data")


def tracker_row_counts() -> dict[str, int]:
    """Rows of every tracker table, history tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("tracker").get_models()
    }


def test_loading_twice_changes_nothing(demo):
    first = tracker_row_counts()
    stamps = list(Production.objects.values_list("slug", "updated_at"))

    loaded = demo_data_load()

    assert (loaded.created, loaded.updated) == (0, 0)
    assert tracker_row_counts() == first
    assert list(Production.objects.values_list("slug", "updated_at")) == stamps


def test_coel_dedication_goes_with_leading_actress_and_the_seed_disputes(demo):
    mention = AwardMention.objects.get(
        speaker__slug="michaela-coel", coordinator__slug="ita-obrien"
    )

    assert mention.kind == choices.AwardMentionKind.DEDICATION
    assert [b.slug for b in mention.award_bodies.all()] == ["bafta"]
    assert [o.category.name for o in mention.outcomes.all()] == ["Leading Actress"]
    assert mention.date == dt.date(2021, 6, 6)
    assert "making the space safe" in mention.quote
    assert mention.is_disputed
    disputing = mention.citations.get(stance=choices.CitationStance.DISPUTES)
    assert disputing.source.slug == SEED
    assert disputing.source_says == "the Mini-Series award"
    assert "Leading Actress" in mention.preferred_reason
    supporting = {
        c.source.publisher
        for c in mention.citations.filter(stance=choices.CitationStance.SUPPORTS)
    }
    assert supporting == {"The Guardian", "Deadline", "HuffPost UK"}
    # Both outcomes of the night are recorded: the show's and Coel's.
    won = AwardOutcome.objects.filter(
        production__slug="i-may-destroy-you", result=choices.AwardResult.WON
    )
    assert sorted(o.category.name for o in won) == ["Leading Actress", "Mini-Series"]


def test_hbo_policy_covers_intimate_scenes_from_october_2018(demo):
    policy = Policy.objects.get(organization__slug="hbo")

    assert "intimate scenes" in policy.scope
    assert "all" not in policy.title.lower().split()
    assert policy.effective_display == "October 2018"
    assert policy.is_disputed
    disputing = policy.citations.get(stance=choices.CitationStance.DISPUTES)
    assert (disputing.source.slug, disputing.source_says) == (SEED, "all their sets")


def test_the_top_250_figures_are_the_celluloid_ceilings(demo):
    for statistic in IndustryStatistic.objects.all():
        assert [o.name for o in statistic.publishers.all()] == [
            "Center for the Study of Women in Television and Film"
        ]
        assert statistic.is_disputed
        assert statistic.citations.get(stance="disputes").source.slug == SEED
    top_250 = IndustryStatistic.objects.get(value=83)
    assert top_250.quoted_wording.startswith("83 percent of the 250 highest")


def test_bean_statement_holds_only_his_printed_words(demo):
    statement = Statement.objects.get(speaker__slug="sean-bean")

    assert "Intimacy coordinators spoil" not in statement.quote
    publishers = {
        c.source.publisher
        for c in statement.citations.all()
        if quote_in_passage(statement.quote, c.quote)
    }
    assert publishers == {"Vulture", "Entertainment Weekly"}
    assert statement.date == dt.date(2022, 8, 5)


def test_every_verbatim_quote_is_found_in_a_supporting_passage(demo):
    checked = 0
    for model in (Statement, AwardMention):
        for claim in model.objects.filter(quote_kind=choices.QuoteKind.VERBATIM):
            passages = [c.quote for c in claim.citations.all() if c.holds_passage]
            assert any(quote_in_passage(claim.quote, p) for p in passages), claim
            checked += 1
    assert checked == Statement.objects.count() + AwardMention.objects.count()


def test_lusts_call_is_one_mention_addressing_three_bodies(demo):
    calls = AwardMention.objects.filter(
        speaker__slug="erika-lust", kind=choices.AwardMentionKind.CATEGORY_CALL
    )

    assert calls.count() == 1
    assert {b.slug for b in calls.get().award_bodies.all()} == {
        "academy-of-motion-picture-arts-and-sciences",
        "golden-globes",
        "television-academy",
    }


def test_the_seed_source_is_dated_by_its_references_and_names_no_path(demo):
    seed = Source.objects.get(slug=SEED)

    assert seed.published_on == dt.date(2024, 1, 1)
    assert seed.published_display == "2024"
    assert "Best Casting" in seed.notes and "Winslet" in seed.notes
    for source in Source.objects.all():
        for text in (source.notes, source.title):
            assert "shared/" not in text and ".txt" not in text and "seeds" not in text


def test_every_other_source_has_its_address_publisher_and_date(demo):
    for source in Source.objects.exclude(slug=SEED):
        assert source.url.startswith("https://"), source
        assert source.publisher, source
        assert source.published_on, source


def test_the_cohorts_keep_unknown_statuses_unknown(demo):
    bafta = Cohort.objects.get(slug="bafta-tv-2021-mini-series-nominees")
    statuses = dict(bafta.members.values_list("slug", "ic_status"))

    assert statuses == {
        "i-may-destroy-you": "used",
        "normal-people": "used",
        "small-axe": "unknown",
        "adult-material": "unknown",
    }
    assert not bafta.self_selected
    seed = Cohort.objects.get(slug="seed-article-productions")
    assert seed.self_selected
    # Every production it names, Bellisario's Pretty Little Liars included,
    # whose status no source gives.
    assert seed.members.count() == 10
    assert seed.members.get(slug="pretty-little-liars").ic_status == "unknown"


def test_every_demo_claim_cites_a_source(demo):
    for model in CLAIM_MODELS:
        for claim in model.objects.all():
            claim.ensure_cited()


def test_the_articles_people_and_productions_are_there(demo):
    titles = set(Production.objects.values_list("title", flat=True))
    assert {
        "Challengers",
        "Anora",
        "Game of Thrones",
        "Poor Things",
        "Bridgerton",
        "I May Destroy You",
        "BITE",
        "The Good Girl",
        "Five Hot Stories for Her",
    } <= titles
    lust = Person.objects.get(slug="erika-lust")
    assert "Erika Hallqvist" in lust.aliases
    got = Production.objects.get(slug="game-of-thrones")
    assert got.ic_status == choices.ICStatus.NOT_USED
    assert got.network.slug == "hbo"
    assert [
        p.slug for p in Production.objects.get(slug="challengers").coordinators
    ] == ["mam-smith"]


def test_the_stances_and_campaigns_are_there(demo):
    assert Statement.objects.get(speaker__slug="sean-bean").stance == "opposes"
    assert Statement.objects.get(speaker__slug="kate-winslet").stance == "wishes_had"
    values = sorted(IndustryStatistic.objects.values_list("value", flat=True))
    assert [int(v) for v in values] == [4, 83]
    campaigns = Campaign.objects.order_by("slug")
    assert campaigns.count() == 3
    call = "Erika Lust and Mam Smith call for IC nominations"
    announcement = "The Academy announces a Best Casting category from 2026"
    milestones = {}
    for campaign in campaigns:
        assert [c.slug for c in campaign.precedents.all()] == ["oscars-best-casting"]
        milestones[campaign.slug] = sorted(m.title for m in campaign.milestones.all())
    # The Academy's own announcement is a step of the Oscar campaign alone;
    # the call names all three award bodies.
    assert milestones == {
        "emmys-intimacy-coordination": [call],
        "golden-globes-intimacy-coordination": [call],
        "oscars-intimacy-coordination": [call, announcement],
    }


def test_the_call_for_nominations_cites_both_speakers_words(demo):
    for milestone in CampaignMilestone.objects.filter(
        title="Erika Lust and Mam Smith call for IC nominations"
    ):
        (citation,) = milestone.citations.all()
        assert "professional recognition" in citation.quote
        assert "I would love to see it happen" in citation.quote
        assert quote_in_passage(citation.quote, SEED_ARTICLE_TEXT.read_text("utf-8"))


def test_a_file_naming_an_unknown_record_is_refused_and_writes_nothing(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(
        "sources:\n"
        "  - {slug: a-report, title: A report, url: 'https://example.org/a'}\n"
        "productions:\n"
        "  - {slug: a-film, title: A film, kind: feature, network: no-such-network}\n",
        encoding="utf-8",
    )

    with pytest.raises(DemoDataError, match="slug 'no-such-network'"):
        demo_data_load(path)

    assert not Source.objects.exists()


def test_a_file_with_a_misquote_is_refused_naming_the_field(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(
        "sources:\n"
        "  - {slug: a-report, title: A report, url: 'https://example.org/a'}\n"
        "people:\n"
        "  - {slug: a-speaker, name: A speaker}\n"
        "statements:\n"
        "  - slug: a-statement\n"
        "    speaker: a-speaker\n"
        "    stance: supports\n"
        "    quote: Words nobody printed.\n"
        "    citations:\n"
        "      - {source: a-report, quote: Words somebody printed.}\n",
        encoding="utf-8",
    )

    with pytest.raises(DemoDataError, match="quote.*verbatim quote must appear"):
        demo_data_load(path)

    assert not Citation.objects.exists() and not Statement.objects.exists()


def test_the_demo_queues_each_sources_snapshot_once(
    settings, django_capture_on_commit_callbacks
):
    """The demo cites most of its sources several times in one transaction;
    each address is queued for archiving once, not once per citation (the
    worker used to run a hundred tasks that each found it archived)."""
    settings.TRACKER_ARCHIVE_ON_SAVE = True
    # Not executed: the demo's sources are on the internet.
    with django_capture_on_commit_callbacks() as callbacks:
        demo_data_load()

    queued = [c.source_id for c in callbacks if isinstance(c, tasks._SnapshotQueue)]
    with_address = Source.objects.exclude(url="").exclude(
        snapshots__requested_url=F("url")
    )
    assert sorted(queued) == sorted(with_address.values_list("pk", flat=True))
    assert Citation.objects.filter(source__in=queued).count() > len(queued)


def test_no_supporting_passage_carries_the_hbo_wording_the_policy_disputes(demo):
    disputed = Policy.objects.get(organization__slug="hbo").citations.get(
        stance=choices.CitationStance.DISPUTES
    )
    smith = Statement.objects.get(speaker__slug="mam-smith")
    # Her words as the article frames them: an ideal, not a description.
    assert smith.quote.startswith("[Ideally,] you wouldn’t be allowed")
    supporting = Citation.objects.filter(stance=choices.CitationStance.SUPPORTS)
    assert not [c for c in supporting if disputed.source_says in c.quote]


def test_the_mini_series_win_is_not_cited_to_the_disputed_dedication(demo):
    dedication = AwardMention.objects.get(kind="dedication").citations.get(
        stance=choices.CitationStance.DISPUTES
    )
    mini_series = AwardOutcome.objects.get(
        slug="bafta-2021-mini-series-i-may-destroy-you"
    )
    passages = [c.quote for c in mini_series.citations.all()]
    assert len(passages) == 3
    assert dedication.quote not in passages
    # The production still cites the seed's sentence for its coordinator,
    # and says beside it which award the sources disagree on.
    production = Production.objects.get(slug="i-may-destroy-you")
    assert dedication.quote in [c.quote for c in production.citations.all()]
    assert "Mini-Series" in production.ic_notes
    assert "Leading Actress" in production.ic_notes


def test_remarks_the_seed_reports_without_a_date_stay_undated(demo):
    for speaker in ("zendaya", "troian-bellisario"):
        statement = Statement.objects.get(speaker__slug=speaker)
        assert (statement.date, statement.date_display) == (None, "undated")


def test_the_best_casting_precedent_is_dated_by_reports_of_the_announcement(demo):
    category = AwardCategory.objects.get(slug="oscars-best-casting")
    (announcement,) = CampaignMilestone.objects.filter(title__contains="Best Casting")

    assert "lobbying" not in category.description
    assert "8 February 2024" in category.description
    assert announcement.date_display == "8 February 2024"
    publishers = {c.source.publisher for c in announcement.citations.all()}
    assert "Entertainment Tonight" in publishers
