"""Sources and the citations that tie every claim to them."""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from tracker.choices import CitationStance, SourceKind

from .base import SluggedModel, TimeStampedModel

CITATION_REQUIRED_MESSAGE = (
    "Every claim must cite at least one source: add a citation before saving."
)


class Source(SluggedModel):
    slug_source = "title"

    url = models.URLField(
        max_length=1000,
        blank=True,
        help_text="Leave empty only for sources with no public address, "
        "such as a speech heard in person.",
    )
    title = models.CharField(
        max_length=500, help_text="The headline or title of the source."
    )
    publisher = models.CharField(
        max_length=200,
        blank=True,
        db_index=True,
        help_text="Who published it, e.g. 'The Guardian'.",
    )
    published_on = models.DateField(
        null=True, blank=True, db_index=True, help_text="The date it was published."
    )
    kind = models.CharField(
        max_length=20,
        choices=SourceKind.choices,
        default=SourceKind.ARTICLE,
        help_text="Article, speech, report, press release or social post.",
    )
    notes = models.TextField(
        blank=True, help_text="Anything a researcher should know about this source."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ("-published_on", "title")
        constraints = [
            models.UniqueConstraint(
                fields=("url",),
                condition=~models.Q(url=""),
                name="source_url_unique_when_set",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.publisher})" if self.publisher else self.title


class Citation(TimeStampedModel):
    """One source backing (or disputing) one claim, with the passage quoted.

    Generic so every kind of claim cites the same way and a single inline
    serves them all in the admin.
    """

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    claim = GenericForeignKey("content_type", "object_id")
    stance = models.CharField(
        max_length=10,
        choices=CitationStance.choices,
        default=CitationStance.SUPPORTS,
        help_text="Sources disagree: record a disputing source rather than "
        "silently picking one.",
    )
    quote = models.TextField(blank=True, help_text="The passage that says it.")
    locator = models.CharField(
        max_length=100, blank=True, help_text="Page, paragraph or timestamp."
    )

    history = HistoricalRecords()

    constraint_errors = {
        "citation_one_per_source_and_claim": (
            "source",
            "The claim already cites this source.",
        ),
    }

    class Meta:
        ordering = ("id",)
        indexes = [models.Index(fields=("content_type", "object_id"))]
        constraints = [
            models.UniqueConstraint(
                fields=("source", "content_type", "object_id"),
                name="citation_one_per_source_and_claim",
            ),
        ]

    def __str__(self):
        return f"{self.get_stance_display()}: {self.source}"


class CitedClaim(models.Model):
    """A claim the tracker makes. It must cite at least one source; the
    rule is checked by `ensure_cited`, which every write path calls (the
    services, the admin's citation inline and the API)."""

    citations = GenericRelation(Citation)

    class Meta:
        abstract = True

    @property
    def citation_required(self) -> bool:
        return True

    def ensure_cited(self, pending_citations: int | None = None) -> None:
        """Refuse the claim unless it has a citation.

        `pending_citations` counts citations about to be saved with it
        (an admin formset or a service call), since a new claim has none in
        the database yet.
        """
        if not self.citation_required:
            return
        count = pending_citations
        if count is None:
            count = self.citations.count() if self.pk else 0
        if count < 1:
            raise ValidationError({"citations": CITATION_REQUIRED_MESSAGE})

    @classmethod
    def content_type(cls):
        return ContentType.objects.get_for_model(cls)
