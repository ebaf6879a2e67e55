"""Constraints of the domain model: citations, years, slugs, values."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint, UniqueConstraint

from tests import factories
from tracker import choices
from tracker.models import CLAIM_MODELS, Citation, IndustryStatistic, Production
from tracker.models.base import FieldNamedConstraintsMixin
from tracker.models.sources import CITATION_REQUIRED_MESSAGE

pytestmark = pytest.mark.django_db

CLAIM_FACTORIES = {
    "Production": factories.ProductionFactory,
    "AwardCategory": lambda **kw: factories.AwardCategoryFactory(
        status=choices.AwardCategoryStatus.PROPOSED, **kw
    ),
    "AwardOutcome": factories.AwardOutcomeFactory,
    "AwardMention": factories.AwardMentionFactory,
    "Statement": factories.StatementFactory,
    "Policy": factories.PolicyFactory,
    "IndustryStatistic": factories.IndustryStatisticFactory,
    "CampaignMilestone": factories.CampaignMilestoneFactory,
}


def test_every_claim_model_has_a_factory_here():
    assert {m.__name__ for m in CLAIM_MODELS} == set(CLAIM_FACTORIES)


@pytest.mark.parametrize("name", sorted(CLAIM_FACTORIES))
def test_a_claim_without_a_source_is_refused(name):
    claim = CLAIM_FACTORIES[name](cite=False)

    with pytest.raises(ValidationError) as excinfo:
        claim.ensure_cited()

    assert excinfo.value.message_dict["citations"] == [CITATION_REQUIRED_MESSAGE]


@pytest.mark.parametrize("name", sorted(CLAIM_FACTORIES))
def test_a_claim_with_a_source_is_accepted(name):
    claim = CLAIM_FACTORIES[name]()

    claim.ensure_cited()

    assert claim.citations.count() == 1


def test_a_new_claim_counts_the_citations_about_to_be_saved():
    statement = factories.StatementFactory.build(speaker=factories.PersonFactory())

    statement.ensure_cited(pending_citations=1)
    with pytest.raises(ValidationError):
        statement.ensure_cited(pending_citations=0)


def test_a_production_of_unknown_ic_status_needs_no_source():
    production = factories.ProductionFactory(
        cite=False, ic_status=choices.ICStatus.UNKNOWN, ic_evidence=""
    )

    production.ensure_cited()


def test_an_existing_award_category_needs_no_source():
    category = factories.AwardCategoryFactory(cite=False)

    category.ensure_cited()


def test_a_citation_can_dispute_its_claim():
    mention = factories.AwardMentionFactory()
    Citation.objects.create(
        claim=mention,
        source=factories.SourceFactory(),
        stance=choices.CitationStance.DISPUTES,
        quote="Other reporting places the dedication on another award.",
    )

    stances = sorted(mention.citations.values_list("stance", flat=True))
    assert stances == ["disputes", "supports"]


def test_the_same_source_cites_a_claim_only_once():
    statement = factories.StatementFactory()
    source = statement.citations.get().source

    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(claim=statement, source=source)


def test_a_source_cited_by_a_claim_cannot_be_deleted():
    statement = factories.StatementFactory()
    source = statement.citations.get().source

    with pytest.raises(IntegrityError), transaction.atomic():
        source.delete()
    assert Citation.objects.filter(source=source).exists()


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"start_year": 1700}, "start_year"),
        ({"start_year": 2500}, "start_year"),
        ({"start_year": 2020, "end_year": 2019}, "end_year"),
    ],
)
def test_implausible_years_are_refused_by_validation_naming_the_field(fields, named):
    production = factories.ProductionFactory.build(**fields)

    with pytest.raises(ValidationError) as excinfo:
        production.full_clean()

    assert list(excinfo.value.message_dict) == [named]


@pytest.mark.parametrize(
    "fields",
    [
        {"start_year": 1700},
        {"end_year": 3000},
        {"start_year": 2020, "end_year": 2019},
    ],
)
def test_implausible_years_are_refused_by_the_database(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Production.objects.create(
            title="Bad years", kind=choices.ProductionKind.FEATURE, **fields
        )


def test_a_known_ic_status_needs_its_evidence_strength():
    with pytest.raises(IntegrityError), transaction.atomic():
        Production.objects.create(
            title="No evidence",
            kind=choices.ProductionKind.SERIES,
            ic_status=choices.ICStatus.USED,
            ic_evidence="",
        )


def test_slugs_are_derived_and_kept_unique():
    first = factories.ProductionFactory(title="Poor Things")
    second = factories.ProductionFactory(title="Poor Things")

    assert (first.slug, second.slug) == ("poor-things", "poor-things-2")


def test_a_slug_is_kept_when_the_title_is_fixed():
    production = factories.ProductionFactory(title="Bridgerton")
    production.title = "Bridgerton (series)"
    production.save()

    production.refresh_from_db()
    assert production.slug == "bridgerton"


def test_duplicate_slugs_are_refused_by_the_database():
    factories.PersonFactory(slug="ita-obrien")

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.PersonFactory(slug="ita-obrien")


def test_a_percentage_over_100_is_refused():
    statistic = factories.IndustryStatisticFactory.build(value=120)

    with pytest.raises(ValidationError):
        statistic.clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.IndustryStatisticFactory(value=120)


def test_a_newly_introduced_category_needs_its_year():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.AwardCategoryFactory(
            status=choices.AwardCategoryStatus.INTRODUCED, year_introduced=None
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [("imdb_id", "tt123"), ("wikidata_qid", "42"), ("imdb_id", "nm12")],
)
def test_malformed_external_ids_are_refused(field, value):
    person = factories.PersonFactory.build(**{field: value})

    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()

    assert field in excinfo.value.message_dict


def test_coordinators_are_the_people_credited_with_intimacy_coordination():
    production = factories.ProductionFactory()
    coordinator = factories.CreditFactory(production=production).person
    factories.CreditFactory(production=production, role=choices.CreditRole.PERFORMER)

    assert production.coordinators == [coordinator]


def test_evidence_strength_grades_the_ic_claim():
    credit = factories.ProductionFactory.build(
        ic_evidence=choices.ICEvidence.ON_SCREEN_CREDIT
    )
    inferred = factories.ProductionFactory.build(
        ic_evidence=choices.ICEvidence.INFERRED
    )
    unknown = factories.ProductionFactory.build(
        ic_status=choices.ICStatus.UNKNOWN, ic_evidence=""
    )

    assert credit.ic_evidence_strength == choices.EvidenceStrength.STRONG
    assert inferred.ic_evidence_strength == choices.EvidenceStrength.WEAK
    assert unknown.ic_evidence_strength == choices.EvidenceStrength.NONE


def _constrained(model):
    for constraint in model._meta.constraints:
        if isinstance(constraint, CheckConstraint) or (
            isinstance(constraint, UniqueConstraint) and len(constraint.fields) > 1
        ):
            yield constraint


CONSTRAINTS = [
    (model, constraint)
    for model in apps.get_app_config("tracker").get_models()
    for constraint in _constrained(model)
]


@pytest.mark.parametrize(
    ("model", "constraint"),
    CONSTRAINTS,
    ids=[constraint.name for _, constraint in CONSTRAINTS],
)
def test_every_constraint_names_a_field_in_words(model, constraint):
    assert issubclass(model, FieldNamedConstraintsMixin)
    field, message = model.constraint_errors[constraint.name]
    assert model._meta.get_field(field)
    assert message.endswith(".")
    assert constraint.name not in message


def test_a_broken_constraint_is_reported_against_its_field_in_words():
    production = factories.ProductionFactory.build(
        ic_status=choices.ICStatus.USED, ic_evidence=""
    )

    with pytest.raises(ValidationError) as excinfo:
        production.full_clean()

    assert excinfo.value.message_dict == {
        "ic_evidence": ["Say how strong the evidence for the IC status is."]
    }


def test_a_statistic_is_named_with_no_more_digits_than_its_figure():
    statistic = IndustryStatistic(
        metric="Films directed solely by men", value=Decimal("83.00"), unit="percent"
    )
    statistic.year = 2023

    assert str(statistic) == "Films directed solely by men: 83 Percent (2023)"
    statistic.value = Decimal("16.50")
    assert str(statistic).startswith("Films directed solely by men: 16.5 Percent")
