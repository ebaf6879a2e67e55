"""Sources and the citations that tie every claim to them."""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from tracker.choices import CitationStance, DatePrecision, QuoteKind, SourceKind
from tracker.quotes import quote_in_passage

from .base import SluggedModel, TimeStampedModel, date_display

CITATION_REQUIRED_MESSAGE = (
    "Every claim must cite at least one source: add a citation before saving."
)
DEPRECATION_REASON_MESSAGE = "Say why it is deprecated: a deprecation needs a reason."
DEPRECATION_DATE_MESSAGE = "A reason is given only with the date it was deprecated."
VERBATIM_NOT_FOUND_MESSAGE = (
    "A verbatim quote must appear in the quoted passage of at least one "
    "current supporting citation, and these words do not: {quote}. Quote "
    "the passage that holds them, or mark the quote as a paraphrase."
)


def quote_kind_field(**kwargs) -> models.CharField:
    return models.CharField(
        max_length=10,
        choices=QuoteKind.choices,
        default=QuoteKind.VERBATIM,
        help_text="Verbatim: the words exactly as a cited source prints them. "
        "Paraphrase: a summary, shown without quotation marks.",
        **kwargs,
    )


def deprecation_constraints(prefix: str) -> list[models.CheckConstraint]:
    """A deprecation has both its date and its reason, or neither."""
    return [
        models.CheckConstraint(
            condition=models.Q(deprecated_on__isnull=True, deprecation_reason="")
            | (
                models.Q(deprecated_on__isnull=False) & ~models.Q(deprecation_reason="")
            ),
            name=f"{prefix}_deprecation_has_date_and_reason",
            violation_error_message=DEPRECATION_REASON_MESSAGE,
        ),
    ]


def deprecation_errors(prefix: str) -> dict[str, tuple[str, str]]:
    """The field and words of deprecation_constraints(prefix), for a
    model's `constraint_errors`."""
    return {
        f"{prefix}_deprecation_has_date_and_reason": (
            "deprecation_reason",
            DEPRECATION_REASON_MESSAGE,
        )
    }


class Deprecatable(models.Model):
    """A correction without deletion, as Wikidata deprecates a statement:
    the record leaves every figure but stays on its page and in history."""

    deprecated_on = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When it was found wrong; empty while it stands.",
    )
    deprecation_reason = models.TextField(
        blank=True, help_text="Why it no longer stands; required with the date."
    )

    class Meta:
        abstract = True

    @property
    def is_deprecated(self) -> bool:
        return self.deprecated_on is not None

    def clean_deprecation(self) -> None:
        if self.deprecated_on and not self.deprecation_reason.strip():
            raise ValidationError({"deprecation_reason": DEPRECATION_REASON_MESSAGE})
        if self.deprecation_reason.strip() and not self.deprecated_on:
            raise ValidationError({"deprecated_on": DEPRECATION_DATE_MESSAGE})

    def clean(self):
        super().clean()
        self.clean_deprecation()


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
        null=True,
        blank=True,
        db_index=True,
        help_text="The date it was published; for a month or a year only, "
        "its first day, with the precision set.",
    )
    published_precision = models.CharField(
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the publication date is known: day, month or year.",
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

    @property
    def published_display(self) -> str:
        return date_display(self.published_on, self.published_precision)


class Citation(Deprecatable, TimeStampedModel):
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
    quote_kind = quote_kind_field()
    source_says = models.TextField(
        blank=True,
        help_text="For a disputing source: what it says instead, e.g. 'the "
        "Mini-Series award'.",
    )
    locator = models.CharField(
        max_length=100, blank=True, help_text="Page, paragraph or timestamp."
    )

    history = HistoricalRecords()

    constraint_errors = {
        **deprecation_errors("citation"),
        "citation_one_per_source_and_claim": (
            "source",
            "The claim already cites this source.",
        ),
    }

    class Meta:
        ordering = ("id",)
        indexes = [
            models.Index(fields=("content_type", "object_id")),
            # Every claim list asks whether each row is disputed
            # (tracker.querysets.with_disputed). PostgreSQL answers that
            # once per query from every disputing citation of the kind, so
            # without this index it reads every citation of the kind: 12 ms
            # at 50k productions, ten times that at 500k. Disputes are few;
            # this index holds only them.
            models.Index(
                fields=("content_type", "object_id"),
                condition=models.Q(
                    stance=CitationStance.DISPUTES, deprecated_on__isnull=True
                ),
                name="citation_disputes_current",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=("source", "content_type", "object_id"),
                name="citation_one_per_source_and_claim",
            ),
            *deprecation_constraints("citation"),
        ]

    def __str__(self):
        return f"{self.get_stance_display()}: {self.source}"

    @property
    def is_current(self) -> bool:
        return self.deprecated_on is None

    @property
    def disputes(self) -> bool:
        """A current citation that disputes its claim."""
        return self.stance == CitationStance.DISPUTES and self.is_current

    @property
    def holds_passage(self) -> bool:
        """A current supporting citation quoting the source's own words:
        the only kind a verbatim quote of the claim can be found in."""
        return (
            self.stance == CitationStance.SUPPORTS
            and self.is_current
            and self.quote_kind == QuoteKind.VERBATIM
            and bool(self.quote.strip())
        )


class CitedClaim(Deprecatable):
    """A claim the tracker makes. It must cite at least one source; the
    rule is checked by `ensure_cited`, which every write path calls (the
    services, the admin's citation inline and the API). A claim with a
    verbatim quote (`quote_field`) must find it in a supporting citation's
    passage (`ensure_quote_found`, on the same paths). A claim is disputed
    while any current citation disputes it."""

    # The field holding the claim's own quote, if it has one; its kind is
    # in `quote_kind`.
    quote_field: str | None = None

    citations = GenericRelation(Citation)
    preferred_reason = models.TextField(
        "why this value is preferred",
        blank=True,
        help_text="Where sources disagree: why the recorded value is preferred "
        "over what the disputing sources say.",
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        # A new claim has no citations yet: the services and the admin check
        # its quote once they know the citations it is saved with.
        if self.pk and not getattr(self, "_quote_check_deferred", False):
            self.ensure_quote_found()

    def _citation_rows(self) -> list[Citation]:
        """Prefetched citations when the selector gave them, else a query."""
        prefetched = getattr(self, "citation_list", None)
        if prefetched is not None:
            return prefetched
        return list(self.citations.all()) if self.pk else []

    @property
    def is_disputed(self) -> bool:
        return any(c.disputes for c in self._citation_rows())

    def ensure_quote_found(self, citations=None) -> None:
        """Refuse a verbatim quote that no supporting citation's passage
        holds. `citations`: the claim's citations as the write will leave
        them (an admin formset); the saved ones by default."""
        if self.quote_field is None or self.quote_kind != QuoteKind.VERBATIM:
            return
        quote = getattr(self, self.quote_field) or ""
        if not quote.strip():
            return
        if citations is None:
            citations = list(self.citations.all()) if self.pk else []
        if not any(
            c.holds_passage and quote_in_passage(quote, c.quote) for c in citations
        ):
            shown = quote if len(quote) <= 80 else f"{quote[:77]}..."
            raise ValidationError(
                {
                    self.quote_field: VERBATIM_NOT_FOUND_MESSAGE.format(
                        quote=f"'{shown}'"
                    )
                }
            )

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
