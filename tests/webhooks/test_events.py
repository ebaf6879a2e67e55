import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tests import factories
from tracker import choices
from tracker.choices import WebhookEvent
from tracker.models import ArticleMatch, Citation, Feed, NewsArticle
from tracker.models.webhooks import SUBSCRIBABLE_EVENTS
from tracker.news.services import matches_review
from tracker.services.records import record_deprecate, record_update
from tracker.services.webhooks import endpoint_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(receiver, private_webhooks_allowed):
    endpoint, _ = endpoint_register(
        name="Everything",
        url=receiver.url(),
        events=[str(e) for e in SUBSCRIBABLE_EVENTS],
    )
    return endpoint


def types(receiver) -> list[str]:
    return [r.payload["type"] for r in receiver.received]


def test_a_claim_saved_with_its_citations_is_one_created_event(
    receiver, everything, commit
):
    commit(lambda: factories.PolicyFactory())

    assert types(receiver) == ["claim.created"]


def test_a_change_and_a_new_source_are_claim_changed(receiver, everything, commit):
    policy = commit(lambda: factories.PolicyFactory(title="Old title"))

    commit(lambda: record_update(instance=policy, fields={"title": "New title"}))
    commit(
        lambda: Citation.objects.create(claim=policy, source=factories.SourceFactory())
    )

    assert types(receiver) == ["claim.created", "claim.changed", "claim.changed"]
    assert receiver.received[1].payload["data"]["record"]["title"] == "New title"
    assert len(receiver.received[2].payload["data"]["record"]["citations"]) == 2


def test_a_disputing_source_is_claim_disputed_with_the_citation(
    receiver, everything, commit
):
    statement = commit(lambda: factories.StatementFactory())

    commit(
        lambda: Citation.objects.create(
            claim=statement,
            source=factories.SourceFactory(title="The rebuttal"),
            stance=choices.CitationStance.DISPUTES,
            quote="That is not what was said.",
        )
    )

    assert types(receiver) == ["claim.created", "claim.disputed"]
    data = receiver.received[1].payload["data"]
    assert data["citation"]["title"] == "The rebuttal"
    assert data["citation"]["stance"] == "disputes"
    assert data["resource"] == "statements"


def test_a_new_milestone_is_milestone_added(receiver, everything, commit):
    campaign = factories.CampaignFactory(name="Oscars", slug="oscars")

    commit(
        lambda: factories.CampaignMilestoneFactory(
            campaign=campaign, title="Letter to the Board of Governors"
        )
    )

    assert types(receiver) == ["milestone.added"]
    data = receiver.received[0].payload["data"]
    assert data["campaign"]["slug"] == "oscars"
    assert data["milestone"]["title"] == "Letter to the Board of Governors"


def test_an_approved_news_match_is_news_approved(
    receiver, everything, commit, staff_user
):
    production = commit(lambda: factories.ProductionFactory(title="Challengers"))
    receiver.received.clear()
    feed = Feed.objects.create(url="https://news.example/rss", name="News")
    article = NewsArticle.objects.create(
        feed=feed,
        canonical_url="https://news.example/a",
        url="https://news.example/a",
        title="Challengers had an intimacy coordinator",
        content_hash="0" * 64,
    )
    match = ArticleMatch.objects.create(
        article=article,
        entity_type=choices.MatchEntityType.PRODUCTION,
        production=production,
        alias="Challengers",
        field=choices.MatchField.TITLE,
        position=0,
        score=1.0,
    )
    assert receiver.received == []  # pending news is no event

    commit(
        lambda: matches_review(
            match_ids=[match.pk],
            status=choices.ReviewStatus.APPROVED,
            reviewer=staff_user,
        )
    )
    commit(
        lambda: matches_review(
            match_ids=[match.pk],
            status=choices.ReviewStatus.APPROVED,
            reviewer=staff_user,
        )
    )

    assert types(receiver) == ["news.approved"]
    data = receiver.received[0].payload["data"]
    assert data["article"]["title"] == "Challengers had an intimacy coordinator"
    assert data["record"] == {
        "type": "production",
        "slug": production.slug,
        "name": str(production),
    }


def test_a_rolled_back_write_sends_nothing(receiver, everything, commit):
    def write_then_fail():
        try:
            with transaction.atomic():
                factories.PolicyFactory()
                raise RuntimeError("abandoned")
        except RuntimeError:
            pass
        return factories.StatementFactory()

    commit(write_then_fail)

    assert types(receiver) == ["claim.created"]
    assert receiver.received[0].payload["data"]["resource"] == "statements"


def test_an_endpoint_gets_only_the_events_it_chose(
    receiver, private_webhooks_allowed, commit
):
    endpoint_register(
        name="Disputes only", url=receiver.url(), events=[WebhookEvent.CLAIM_DISPUTED]
    )

    policy = commit(lambda: factories.PolicyFactory())
    commit(
        lambda: Citation.objects.create(
            claim=policy,
            source=factories.SourceFactory(),
            stance=choices.CitationStance.DISPUTES,
        )
    )

    assert types(receiver) == ["claim.disputed"]


def test_a_disputing_source_added_through_the_service_is_claim_disputed(
    receiver, everything, commit
):
    policy = commit(lambda: factories.PolicyFactory())

    commit(
        lambda: record_update(
            instance=policy,
            fields={},
            citations=[
                {
                    "source": factories.SourceFactory(title="The rebuttal"),
                    "stance": choices.CitationStance.DISPUTES,
                    "quote": "The policy covers films only.",
                }
            ],
        )
    )

    # One event for the write, the dispute, not a change as well.
    assert types(receiver) == ["claim.created", "claim.disputed"]
    assert receiver.received[1].payload["data"]["citation"]["title"] == "The rebuttal"


def test_a_deprecated_claim_is_one_claim_deprecated_with_reason_and_date(
    receiver, everything, commit
):
    policy = commit(lambda: factories.PolicyFactory())

    commit(
        lambda: record_deprecate(
            record=policy, reason="The studio withdrew it.", on=dt.date(2026, 11, 2)
        )
    )
    # Rewording the reason later is a change, not a second deprecation.
    commit(
        lambda: record_update(
            instance=policy, fields={"deprecation_reason": "Withdrawn in 2026."}
        )
    )

    assert types(receiver) == ["claim.created", "claim.deprecated", "claim.changed"]
    data = receiver.received[1].payload["data"]
    assert data["deprecation"] == {
        "of": "claim",
        "deprecated_on": "2026-11-02",
        "reason": "The studio withdrew it.",
    }
    assert data["resource"] == "policies" and data["slug"] == policy.slug


def test_a_deprecated_citation_is_claim_deprecated_naming_the_citation(
    receiver, everything, commit
):
    policy = commit(lambda: factories.PolicyFactory())
    citation = commit(
        lambda: Citation.objects.create(
            claim=policy, source=factories.SourceFactory(title="A misread report")
        )
    )
    receiver.received.clear()

    commit(lambda: record_deprecate(record=citation, reason="Misread."))

    assert types(receiver) == ["claim.deprecated"]
    data = receiver.received[0].payload["data"]
    assert data["citation"]["title"] == "A misread report"
    assert data["deprecation"]["of"] == "citation"
    assert data["deprecation"]["reason"] == "Misread."
    assert data["deprecation"]["deprecated_on"] == timezone.localdate().isoformat()


def test_deprecating_twice_is_refused_naming_the_field(db):
    policy = factories.PolicyFactory()
    record_deprecate(record=policy, reason="Withdrawn.")

    with pytest.raises(ValidationError) as refused:
        record_deprecate(record=policy, reason="Again.")

    assert "deprecated_on" in refused.value.message_dict


def test_a_deprecation_without_a_reason_is_refused_and_sends_nothing(
    receiver, everything, commit
):
    policy = commit(lambda: factories.PolicyFactory())

    with pytest.raises(ValidationError) as refused:
        commit(lambda: record_deprecate(record=policy, reason=" "))

    assert "deprecation_reason" in refused.value.message_dict
    assert types(receiver) == ["claim.created"]
