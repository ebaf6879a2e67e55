"""Disputes, quote kinds and deprecation on every write path: the model,
the services (and so the API) and the admin."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests import factories as f
from tests.test_admin import CITATIONS, admin_url, citation_formset
from tracker import choices
from tracker.models import AwardMention, Citation, Statement
from tracker.querysets import filter_disputed
from tracker.services.records import record_create, record_update

pytestmark = pytest.mark.django_db


def _statement_fields(quote="It spoils the spontaneity.", **extra):
    return {
        "speaker": f.PersonFactory(),
        "quote": quote,
        "stance": choices.Stance.OPPOSES,
        **extra,
    }


# --- disputed ----------------------------------------------------------------


def test_a_claim_is_disputed_while_a_current_citation_disputes_it():
    policy = f.PolicyFactory()
    other = f.PolicyFactory()
    disputing = Citation.objects.create(
        claim=policy, source=f.SourceFactory(), stance="disputes", quote="No."
    )

    assert policy.is_disputed and not other.is_disputed
    assert list(filter_disputed(type(policy).objects.all(), True)) == [policy]
    assert list(filter_disputed(type(policy).objects.all(), False)) == [other]

    disputing.deprecated_on = dt.date(2026, 1, 1)
    disputing.deprecation_reason = "The source corrected itself."
    disputing.save()

    assert not policy.is_disputed
    assert not filter_disputed(type(policy).objects.all(), True).exists()


# --- verbatim quotes -----------------------------------------------------------


def test_a_verbatim_quote_missing_from_every_passage_is_refused_naming_quote():
    source = f.SourceFactory()

    with pytest.raises(ValidationError) as raised:
        record_create(
            model=Statement,
            fields=_statement_fields(),
            citations=[{"source": source, "quote": "He criticised them."}],
        )

    assert "quote" in raised.value.message_dict
    assert "verbatim quote must appear" in raised.value.message_dict["quote"][0]
    assert not Statement.objects.exists() and not Citation.objects.exists()


def test_a_verbatim_quote_in_a_supporting_passage_is_saved():
    statement = record_create(
        model=Statement,
        fields=_statement_fields(),
        citations=[
            {
                "source": f.SourceFactory(),
                "quote": "“It spoils the spontaneity,” he said.",
            }
        ],
    )

    assert statement.quote_kind == choices.QuoteKind.VERBATIM


@pytest.mark.parametrize(
    "citation",
    [
        {"stance": "disputes"},
        {"quote_kind": "paraphrase"},
        {"deprecated_on": dt.date(2026, 1, 1), "deprecation_reason": "Misread."},
    ],
    ids=["disputing", "paraphrased", "deprecated"],
)
def test_only_a_current_supporting_verbatim_passage_holds_a_quote(citation):
    with pytest.raises(ValidationError, match="verbatim quote must appear"):
        record_create(
            model=Statement,
            fields=_statement_fields(),
            citations=[
                {
                    "source": f.SourceFactory(),
                    "quote": "It spoils the spontaneity.",
                    **citation,
                }
            ],
        )


def test_a_paraphrase_needs_no_passage_holding_it():
    statement = record_create(
        model=Statement,
        fields=_statement_fields(quote_kind=choices.QuoteKind.PARAPHRASE),
        citations=[{"source": f.SourceFactory(), "quote": "He criticised them."}],
    )

    assert statement.pk


def test_changing_a_saved_quote_is_checked_by_the_model():
    statement = f.StatementFactory(quote="They matter.")
    statement.quote = "They do not matter."

    with pytest.raises(ValidationError) as raised:
        statement.full_clean()

    assert "quote" in raised.value.message_dict


def test_changing_a_quote_through_the_service_is_refused_and_kept():
    statement = f.StatementFactory(quote="They matter.")

    with pytest.raises(ValidationError):
        record_update(instance=statement, fields={"quote": "They do not matter."})

    statement.refresh_from_db()
    assert statement.quote == "They matter."


def _admin_statement(speaker, quote, passage):
    return {
        "speaker": speaker.pk,
        "quote": quote,
        "quote_kind": "verbatim",
        "stance": "opposes",
        "date_precision": "year",
        "date": "2022-01-01",
        **citation_formset(
            CITATIONS,
            [{"source": f.SourceFactory().pk, "stance": "supports", "quote": passage}],
        ),
    }


def test_the_admin_refuses_a_misquote_naming_the_quote(admin_client):
    response = admin_client.post(
        admin_url(Statement, "add"),
        _admin_statement(f.PersonFactory(), "Words nobody printed.", "Other words."),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "quote: A verbatim quote must appear" in page
    assert not Statement.objects.exists()


def test_the_admin_saves_a_quote_with_the_passage_added_in_the_same_save(
    admin_client,
):
    response = admin_client.post(
        admin_url(Statement, "add"),
        _admin_statement(
            f.PersonFactory(), "It spoils it.", "He said: “It spoils it.”"
        ),
    )

    assert response.status_code == 302
    assert Statement.objects.get().quote == "It spoils it."


# --- deprecation ---------------------------------------------------------------


def test_a_deprecation_without_a_reason_is_refused_naming_the_field():
    statement = f.StatementFactory()
    statement.deprecated_on = dt.date(2026, 1, 1)

    with pytest.raises(ValidationError) as raised:
        statement.full_clean()

    assert "deprecation_reason" in raised.value.message_dict


def test_a_reason_without_a_date_is_refused_naming_the_date():
    citation = f.StatementFactory().citations.get()
    citation.deprecation_reason = "Wrong."

    with pytest.raises(ValidationError) as raised:
        citation.full_clean()

    assert "deprecated_on" in raised.value.message_dict


def test_the_database_refuses_a_deprecation_without_a_reason():
    from django.db import IntegrityError

    statement = f.StatementFactory()

    with pytest.raises(IntegrityError):
        Statement.objects.filter(pk=statement.pk).update(
            deprecated_on=dt.date(2026, 1, 1)
        )


def test_a_deprecated_citation_through_the_api_service_names_its_field():
    statement = f.StatementFactory()
    source = statement.citations.get().source

    with pytest.raises(ValidationError) as raised:
        record_update(
            instance=statement,
            fields={},
            citations=[{"source": source, "deprecated_on": dt.date(2026, 1, 1)}],
        )

    assert (
        "citations[0].deprecation_reason" in raised.value.message_dict["citations"][0]
    )


# --- one mention, many bodies ----------------------------------------------------


def test_an_outcome_must_be_at_a_body_the_mention_addresses():
    outcome = f.AwardOutcomeFactory()
    other_body = f.AwardBodyFactory()

    with pytest.raises(ValidationError) as raised:
        record_create(
            model=AwardMention,
            fields={"kind": choices.AwardMentionKind.DEDICATION},
            m2m={"award_bodies": [other_body], "outcomes": [outcome]},
            citations=[{"source": f.SourceFactory(), "quote": ""}],
        )

    assert "outcomes" in raised.value.message_dict
    assert not AwardMention.objects.exists()


def test_one_mention_addresses_several_bodies():
    bodies = [f.AwardBodyFactory() for _ in range(3)]

    mention = record_create(
        model=AwardMention,
        fields={"kind": choices.AwardMentionKind.CATEGORY_CALL},
        m2m={"award_bodies": bodies},
        citations=[{"source": f.SourceFactory()}],
    )

    assert set(mention.award_bodies.all()) == set(bodies)
    assert AwardMention.objects.count() == 1
