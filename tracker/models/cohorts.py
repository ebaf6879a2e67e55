"""Cohorts: the named sets of productions every share is computed over,
so a figure always says what it is a share of."""

from django.db import models
from simple_history.models import HistoricalRecords

from .base import YEAR_VALIDATORS, SluggedModel, year_in_range
from .entities import Production
from .sources import Source


class Cohort(SluggedModel):
    """A named set of productions with a rule for who is in it, e.g. "BAFTA
    TV 2021 Mini-Series nominees". A self-selected list (the productions
    one article happens to name) is a cohort too, and says so."""

    name = models.CharField(max_length=200, unique=True, help_text="The cohort's name.")
    description = models.TextField(
        blank=True, help_text="What the cohort is, for a reader of the figures."
    )
    inclusion_rule = models.TextField(
        help_text="Who is in it and who is not, precisely enough that "
        "someone else would draw up the same list."
    )
    list_source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
        help_text="Where the list of members comes from.",
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text="The year the list is of, e.g. the ceremony year.",
    )
    self_selected = models.BooleanField(
        default=False,
        help_text="Tick when the members were picked by someone making a "
        "case, not by a rule: its share says little about the industry.",
    )
    members = models.ManyToManyField(
        Production, blank=True, related_name="cohorts", help_text="Its productions."
    )

    history = HistoricalRecords(m2m_fields=[members])

    constraint_errors = {"cohort_year_plausible": ("year", "A year from 1888 to 2100.")}

    class Meta:
        ordering = ("self_selected", "-year", "name")
        constraints = [
            models.CheckConstraint(
                condition=year_in_range("year"), name="cohort_year_plausible"
            ),
        ]

    def __str__(self):
        return self.name
