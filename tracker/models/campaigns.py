"""The campaign for an awards category for intimacy coordination."""

from django.db import models
from simple_history.models import HistoricalRecords

from tracker.choices import CampaignStatus

from .awards import AWARD_BODY_KINDS, AwardCategory
from .base import DatedMixin, SluggedModel, TimeStampedModel
from .entities import Organization
from .sources import CitedClaim, deprecation_constraints, deprecation_errors


class Campaign(SluggedModel):
    name = models.CharField(max_length=200, help_text="The campaign's name.")
    target_body = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="campaigns",
        limit_choices_to={"kind__in": AWARD_BODY_KINDS},
    )
    proposed_category = models.ForeignKey(
        AwardCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
    )
    precedents = models.ManyToManyField(
        AwardCategory,
        blank=True,
        related_name="precedent_for",
        help_text="Categories won by similar campaigns, e.g. Best Casting.",
    )
    status = models.CharField(
        max_length=14,
        choices=CampaignStatus.choices,
        default=CampaignStatus.PROPOSED,
        db_index=True,
        help_text="Where the campaign stands at this award body.",
    )
    summary = models.TextField(
        blank=True, help_text="What the campaign asks for and why, in a few sentences."
    )

    history = HistoricalRecords(m2m_fields=[precedents])

    class Meta:
        ordering = ("target_body__name",)

    def __str__(self):
        return self.name


class CampaignMilestone(TimeStampedModel, DatedMixin, CitedClaim):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    constraint_errors = deprecation_errors("milestone")

    class Meta:
        ordering = ("campaign", "date", "id")
        constraints = [*deprecation_constraints("milestone")]

    def __str__(self):
        return f"{self.date_display}: {self.title}"
