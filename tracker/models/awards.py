"""Award categories, outcomes, and mentions of ICs in an awards context."""

from django.db import models
from simple_history.models import HistoricalRecords

from tracker.choices import (
    AwardCategoryStatus,
    AwardMentionKind,
    AwardResult,
    OrganizationKind,
)

from .base import YEAR_VALIDATORS, DatedMixin, SluggedModel, year_in_range
from .entities import Organization, Person, Production
from .sources import (
    CitedClaim,
    deprecation_constraints,
    deprecation_errors,
    quote_kind_field,
)

AWARD_BODY_KINDS = (OrganizationKind.AWARD_BODY, OrganizationKind.FESTIVAL)


class AwardCategory(SluggedModel, CitedClaim):
    """A category at an award body: existing ones, newly introduced ones
    (the Academy's Best Casting, the campaign's precedent) and proposed
    ones (an intimacy coordination award)."""

    award_body = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="award_categories",
        limit_choices_to={"kind__in": AWARD_BODY_KINDS},
    )
    name = models.CharField(
        max_length=200, help_text="The category's name as the award body gives it."
    )
    status = models.CharField(
        max_length=12,
        choices=AwardCategoryStatus.choices,
        default=AwardCategoryStatus.EXISTING,
        db_index=True,
        help_text="Existing, proposed (by the campaign) or newly introduced.",
    )
    year_introduced = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text="The first year it was awarded; empty while only proposed.",
    )
    is_intimacy_coordination = models.BooleanField(
        "recognizes intimacy coordination",
        default=False,
        help_text="Tick for a category that would honour ICs.",
    )
    description = models.TextField(
        blank=True,
        help_text="What it honours, in the award body's words where possible.",
    )

    history = HistoricalRecords()

    constraint_errors = {
        **deprecation_errors("award_category"),
        "award_category_unique_name": (
            "name",
            "The award body already has a category of this name.",
        ),
        "award_category_year_plausible": (
            "year_introduced",
            "A year from 1888 to 2100.",
        ),
        "award_category_introduced_has_year": (
            "year_introduced",
            "A newly introduced category needs the year it was introduced.",
        ),
    }

    class Meta:
        ordering = ("award_body__name", "name")
        verbose_name_plural = "award categories"
        constraints = [
            models.UniqueConstraint(
                fields=("award_body", "name"), name="award_category_unique_name"
            ),
            models.CheckConstraint(
                condition=year_in_range("year_introduced"),
                name="award_category_year_plausible",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=AwardCategoryStatus.INTRODUCED)
                | models.Q(year_introduced__isnull=False),
                name="award_category_introduced_has_year",
                violation_error_message="A newly introduced category needs "
                "the year it was introduced.",
            ),
            *deprecation_constraints("award_category"),
        ]

    def __str__(self):
        return f"{self.award_body}: {self.name}"

    @property
    def citation_required(self) -> bool:
        # Long-standing categories are common knowledge; a new or proposed
        # one is a claim the campaign relies on.
        return self.status != AwardCategoryStatus.EXISTING


class AwardOutcome(SluggedModel, CitedClaim):
    slug_source = "slug_text"

    category = models.ForeignKey(
        AwardCategory, on_delete=models.PROTECT, related_name="outcomes"
    )
    ceremony_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        db_index=True,
        validators=YEAR_VALIDATORS,
        help_text="Empty when the source does not say.",
    )
    production = models.ForeignKey(
        Production,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_outcomes",
    )
    people = models.ManyToManyField(
        Person,
        blank=True,
        related_name="award_outcomes",
        help_text="The people nominated or honoured, where the category names them.",
    )
    result = models.CharField(
        max_length=10,
        choices=AwardResult.choices,
        db_index=True,
        help_text="Won or nominated.",
    )

    history = HistoricalRecords(m2m_fields=[people])

    constraint_errors = {
        **deprecation_errors("award_outcome"),
        "award_outcome_year_plausible": ("ceremony_year", "A year from 1888 to 2100."),
    }

    class Meta:
        ordering = ("-ceremony_year", "category")
        constraints = [
            models.CheckConstraint(
                condition=year_in_range("ceremony_year"),
                name="award_outcome_year_plausible",
            ),
            *deprecation_constraints("award_outcome"),
        ]

    def __str__(self):
        year = f" {self.ceremony_year}" if self.ceremony_year else ""
        # An unsaved outcome has no people yet; asking would raise an error
        # whose message is this very string.
        people = self.people.all() if self.pk else ()
        subject = self.production or ", ".join(p.name for p in people)
        return f"{self.category}{year} - {self.get_result_display()}: {subject}"

    @property
    def slug_text(self) -> str:
        parts = [self.category.award_body.name, self.category.name]
        if self.ceremony_year:
            parts.append(str(self.ceremony_year))
        if self.production_id:
            parts.append(self.production.title)
        return " ".join(parts)


OUTCOME_BODY_MESSAGE = (
    "Outcome {outcome} is at {body}, which the mention does not address: "
    "add that award body or pick another outcome."
)


class AwardMention(SluggedModel, DatedMixin, CitedClaim):
    """An IC named in an awards context: Michaela Coel dedicating her 2021
    BAFTA to Ita O'Brien is the model case. One speech or one interview
    answer is one mention, however many award bodies and outcomes it
    addresses, so figures count mentions, not bodies."""

    slug_source = "slug_text"
    quote_field = "quote"

    kind = models.CharField(
        max_length=20,
        choices=AwardMentionKind.choices,
        db_index=True,
        help_text=(
            "How the IC was named: a dedication, thanks in a speech, "
            "a nomination or a call for a category."
        ),
    )
    speaker = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_mentions_made",
    )
    coordinator = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_mentions_received",
        help_text="The IC named; empty for a general call for a category.",
    )
    award_bodies = models.ManyToManyField(
        Organization,
        related_name="award_mentions",
        limit_choices_to={"kind__in": AWARD_BODY_KINDS},
        help_text="The award bodies it addresses: one for a speech at a "
        "ceremony, several for a call to the Oscars, Globes and Emmys.",
    )
    outcomes = models.ManyToManyField(
        AwardOutcome,
        blank=True,
        related_name="mentions",
        help_text="The award outcomes it came with, if any.",
    )
    production = models.ForeignKey(
        Production,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_mentions",
    )
    quote = models.TextField(
        blank=True,
        help_text="The words said or written. Verbatim: exactly as a cited "
        "source prints them.",
    )
    quote_kind = quote_kind_field()

    history = HistoricalRecords(m2m_fields=[award_bodies, outcomes])

    constraint_errors = deprecation_errors("award_mention")

    class Meta:
        ordering = ("-date", "id")
        constraints = [*deprecation_constraints("award_mention")]

    def __str__(self):
        who = self.speaker or "Someone"
        to = f" - {self.coordinator}" if self.coordinator else ""
        return f"{who}: {self.get_kind_display()}{to}"

    @staticmethod
    def relations_errors(award_bodies, outcomes) -> dict:
        """The rule between the two relations, which a model's clean()
        cannot see: every outcome is at an award body the mention
        addresses. Called by the services and the admin form."""
        if not award_bodies:
            return {"award_bodies": "Name at least one award body it addresses."}
        body_ids = {body.pk for body in award_bodies}
        for outcome in outcomes or ():
            body = outcome.category.award_body
            if body.pk not in body_ids:
                return {
                    "outcomes": OUTCOME_BODY_MESSAGE.format(outcome=outcome, body=body)
                }
        return {}

    @property
    def slug_text(self) -> str:
        parts = [
            self.speaker.name if self.speaker_id else "",
            self.get_kind_display(),
            self.coordinator.name if self.coordinator_id else "",
            str(self.date.year) if self.date else "",
        ]
        return " ".join(p for p in parts if p)

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None
