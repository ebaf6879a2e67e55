"""What people and institutions say and do about ICs: statements,
policies and industry statistics."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from tracker.choices import DatePrecision, PolicyStatus, Stance, StatisticUnit

from .base import (
    YEAR_VALIDATORS,
    DatedMixin,
    SluggedModel,
    date_display,
    year_in_range,
)
from .entities import Organization, Person, Production
from .sources import (
    CitedClaim,
    deprecation_constraints,
    deprecation_errors,
    quote_kind_field,
)


class Statement(SluggedModel, DatedMixin, CitedClaim):
    slug_source = "slug_text"
    quote_field = "quote"

    speaker = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="statements"
    )
    production = models.ForeignKey(
        Production,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        help_text="The production the statement is about, if any.",
    )
    about_coordinator = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements_about",
        help_text="The IC the statement names, if any.",
    )
    quote = models.TextField(
        help_text="Verbatim: only the speaker's words, exactly as a cited "
        "source prints them. Paraphrase: what they said, in other words."
    )
    quote_kind = quote_kind_field()
    stance = models.CharField(
        max_length=12,
        choices=Stance.choices,
        db_index=True,
        help_text="Supports ICs, opposes them, wishes one had been there, or neutral.",
    )
    venue = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where it was said, e.g. an interview with The New York "
        "Times Magazine.",
    )

    history = HistoricalRecords()

    constraint_errors = deprecation_errors("statement")

    class Meta:
        ordering = ("-date", "id")
        constraints = [*deprecation_constraints("statement")]

    def __str__(self):
        return f"{self.speaker} ({self.get_stance_display()}): {self.quote[:60]}"

    @property
    def slug_text(self) -> str:
        year = str(self.date.year) if self.date else ""
        return f"{self.speaker.name} {self.stance} {year} {self.quote[:40]}"


class Policy(SluggedModel, CitedClaim):
    slug_source = "slug_text"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="policies"
    )
    title = models.CharField(
        max_length=200,
        help_text="The policy's name, e.g. 'ICs on every production'.",
    )
    scope = models.TextField(help_text="What the policy covers, e.g. all sets.")
    status = models.CharField(
        max_length=12,
        choices=PolicyStatus.choices,
        db_index=True,
        help_text="Mandated or recommended.",
    )
    effective_on = models.DateField(
        null=True,
        blank=True,
        help_text="The date it took effect or was announced; empty if unknown. "
        "For a month or a year only, its first day, with the precision set.",
    )
    effective_precision = models.CharField(
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of that date is known: day, month or year.",
    )

    history = HistoricalRecords()

    constraint_errors = deprecation_errors("policy")

    class Meta:
        ordering = ("organization__name", "title")
        verbose_name_plural = "policies"
        constraints = [*deprecation_constraints("policy")]

    def __str__(self):
        return f"{self.organization}: {self.title}"

    @property
    def slug_text(self) -> str:
        return f"{self.organization.name} {self.title}"

    @property
    def effective_display(self) -> str:
        return date_display(self.effective_on, self.effective_precision)


class IndustryStatistic(SluggedModel, CitedClaim):
    slug_source = "metric"

    publishers = models.ManyToManyField(
        Organization, related_name="statistics", help_text="Who published it."
    )
    report = models.CharField(
        max_length=300,
        blank=True,
        help_text="The report or study the figure comes from.",
    )
    metric = models.CharField(
        max_length=300,
        help_text="What is measured, e.g. 'films that employed an IC'.",
    )
    value = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="The figure itself."
    )
    unit = models.CharField(
        max_length=10,
        choices=StatisticUnit.choices,
        help_text="The unit of the value: percent, count, currency...",
    )
    sample = models.CharField(
        max_length=300,
        help_text="What it covers, e.g. the 250 highest-grossing films of 2023.",
    )
    year = models.PositiveSmallIntegerField(
        db_index=True, validators=YEAR_VALIDATORS, help_text="The year measured."
    )
    quoted_wording = models.TextField(
        help_text="The exact wording, so the figure is never quoted out of context."
    )

    history = HistoricalRecords(m2m_fields=[publishers])

    constraint_errors = {
        **deprecation_errors("statistic"),
        "statistic_year_plausible": ("year", "A year from 1888 to 2100."),
        "statistic_value_not_negative": ("value", "A figure cannot be negative."),
        "statistic_percent_at_most_100": (
            "value",
            "A percentage cannot exceed 100.",
        ),
    }

    class Meta:
        ordering = ("-year", "metric")
        constraints = [
            models.CheckConstraint(
                condition=year_in_range("year"), name="statistic_year_plausible"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="statistic_value_not_negative"
            ),
            models.CheckConstraint(
                condition=~models.Q(unit=StatisticUnit.PERCENT)
                | models.Q(value__lte=100),
                name="statistic_percent_at_most_100",
                violation_error_message="A percentage cannot exceed 100.",
            ),
            *deprecation_constraints("statistic"),
        ]

    def __str__(self):
        # 83, not the column's 83.00: no more digits than the source gave.
        value = (
            "" if self.value is None else f"{Decimal(str(self.value)).normalize():f}"
        )
        return f"{self.metric}: {value} {self.get_unit_display()} ({self.year})"

    def clean(self):
        super().clean()
        if (
            self.unit == StatisticUnit.PERCENT
            and self.value is not None
            and not (0 <= self.value <= 100)
        ):
            raise ValidationError({"value": "A percentage lies between 0 and 100."})
