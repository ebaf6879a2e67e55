"""News feeds, the articles they carry and the matches staff review.

How an article is kept once: `NewsArticle` is unique by its canonical URL
(tracking parameters stripped), so the same story carried by two feeds is one
article. What a feed calls an entry (its guid) is recorded in
`ArticleSighting`, unique by (feed, guid): a feed that re-sends an entry, even
under a changed URL, finds its article through the sighting, and a second
feed carrying the same story adds a sighting to the existing article instead
of a second article.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from tracker.choices import (
    FeedStatus,
    LeadStatus,
    MatchEntityType,
    MatchField,
    ReviewStatus,
)

from .base import FieldNamedConstraintsMixin, TimeStampedModel
from .entities import Organization, Person, Production
from .sources import Source


class Feed(TimeStampedModel):
    url = models.URLField("feed URL", max_length=1000, unique=True)
    name = models.CharField(max_length=200)
    publisher = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feeds",
    )
    active = models.BooleanField(
        default=True,
        db_index=True,
        help_text="Inactive feeds are never fetched; a feed that keeps "
        "failing is made inactive with the reason below.",
    )
    interval_minutes = models.PositiveIntegerField(
        "interval (minutes)", default=30, help_text="How often to check it."
    )
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_status = models.CharField(
        max_length=20, choices=FeedStatus.choices, default=FeedStatus.NEVER
    )
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    next_fetch_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Empty means due now. Failures push it back exponentially.",
    )
    last_error = models.TextField(blank=True)
    disabled_reason = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords(
        excluded_fields=(
            "etag",
            "last_modified",
            "last_checked_at",
            "next_fetch_at",
            "updated_at",
        )
    )

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


class NewsArticle(TimeStampedModel):
    feed = models.ForeignKey(
        Feed,
        on_delete=models.PROTECT,
        related_name="first_articles",
        help_text="The feed the article was first seen in.",
    )
    canonical_url = models.URLField(max_length=1000, unique=True)
    url = models.URLField(max_length=1000)
    title = models.CharField(max_length=1000)
    summary = models.TextField(blank=True, help_text="Sanitized HTML.")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    content_hash = models.CharField(max_length=64)
    ic_related = models.BooleanField(
        "about intimacy coordination", default=False, db_index=True
    )
    award_mention = models.BooleanField(
        "likely award mention", default=False, db_index=True
    )
    feeds = models.ManyToManyField(
        Feed, through="ArticleSighting", related_name="articles"
    )
    lead_status = models.CharField(
        max_length=10,
        choices=LeadStatus.choices,
        default=LeadStatus.OPEN,
        db_index=True,
        help_text="For an article about intimacy coordination that names "
        "nothing tracked (a lead): open, dismissed, or promoted to a source.",
    )
    lead_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lead_reviewed_at = models.DateTimeField(null=True, blank=True)
    source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_articles",
        help_text="The source staff made of this article, citable by claims.",
    )

    class Meta:
        ordering = ("-published_at", "-id")

    def __str__(self):
        return self.title

    @property
    def flagged(self) -> bool:
        return self.ic_related or self.award_mention


class ArticleSighting(FieldNamedConstraintsMixin, models.Model):
    """One feed's entry for an article, by the feed's own guid."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="sightings")
    article = models.ForeignKey(
        NewsArticle, on_delete=models.CASCADE, related_name="sightings"
    )
    guid = models.CharField(max_length=1000)
    first_seen_at = models.DateTimeField(auto_now_add=True)

    constraint_errors = {
        "article_sighting_unique_guid_per_feed": (
            "guid",
            "The feed already has an entry with this guid.",
        ),
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("feed", "guid"), name="article_sighting_unique_guid_per_feed"
            ),
        ]

    def __str__(self):
        return f"{self.feed}: {self.guid}"


class ArticleMatch(TimeStampedModel):
    """An article naming something the tracker knows, waiting for review.

    Typed foreign keys rather than a generic relation: the database keeps
    them consistent, and lists can select_related the entity."""

    article = models.ForeignKey(
        NewsArticle, on_delete=models.CASCADE, related_name="matches"
    )
    entity_type = models.CharField(
        max_length=20, choices=MatchEntityType.choices, db_index=True
    )
    production = models.ForeignKey(
        Production,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="news_matches",
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="news_matches",
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="news_matches",
    )
    alias = models.CharField("name matched", max_length=300)
    field = models.CharField(max_length=10, choices=MatchField.choices)
    position = models.PositiveIntegerField(
        help_text="Character offset of the first occurrence in that field."
    )
    score = models.FloatField()
    ic_related = models.BooleanField("about intimacy coordination", default=False)
    award_mention = models.BooleanField("likely award mention", default=False)
    review_status = models.CharField(
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
        db_index=True,
    )
    rejection_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why staff rejected it, e.g. 'another person of that name'. "
        "Remembered: an alias rejected for one record several times in a "
        "row becomes ambiguous.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=("updated_at", "position", "score", "alias", "field")
    )

    constraint_errors = {
        "article_match_one_entity_of_its_type": (
            "entity_type",
            "Give exactly the one record its entity type names.",
        ),
        **{
            f"article_match_unique_{field}": (
                field,
                f"The article is already matched to this {field}.",
            )
            for field in ("production", "person", "organization")
        },
    }

    class Meta:
        ordering = ("-article__published_at", "-score")
        verbose_name_plural = "article matches"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        entity_type=MatchEntityType.PRODUCTION,
                        production__isnull=False,
                        person__isnull=True,
                        organization__isnull=True,
                    )
                    | models.Q(
                        entity_type=MatchEntityType.PERSON,
                        production__isnull=True,
                        person__isnull=False,
                        organization__isnull=True,
                    )
                    | models.Q(
                        entity_type=MatchEntityType.ORGANIZATION,
                        production__isnull=True,
                        person__isnull=True,
                        organization__isnull=False,
                    )
                ),
                name="article_match_one_entity_of_its_type",
            ),
            *(
                models.UniqueConstraint(
                    fields=("article", field),
                    condition=models.Q(**{f"{field}__isnull": False}),
                    name=f"article_match_unique_{field}",
                )
                for field in ("production", "person", "organization")
            ),
        ]
        indexes = [models.Index(fields=("review_status", "ic_related"))]

    def __str__(self):
        return f"{self.article} - {self.entity}"

    @property
    def entity(self):
        return self.production or self.person or self.organization


class AmbiguousAlias(TimeStampedModel):
    """A name staff rejected for one record several times in a row
    (TRACKER_AMBIGUOUS_AFTER_REJECTIONS): the matcher then queues it only
    with context, an IC term nearby or the exact case of the name. Cleared
    by staff, after which only new rejections count."""

    entity_type = models.CharField(max_length=20, choices=MatchEntityType.choices)
    production = models.ForeignKey(
        Production,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ambiguous_aliases",
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ambiguous_aliases",
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ambiguous_aliases",
    )
    alias = models.CharField("name", max_length=300)
    rejections = models.PositiveIntegerField(
        help_text="Rejections in a row that made it ambiguous."
    )
    last_reason = models.CharField(max_length=300, blank=True)
    cleared_at = models.DateTimeField(null=True, blank=True, db_index=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=("updated_at",))

    constraint_errors = {
        f"ambiguous_alias_one_open_per_{field}": (
            "alias",
            "This alias is already marked ambiguous for this record.",
        )
        for field in ("production", "person", "organization")
    }

    class Meta:
        ordering = ("-created_at",)
        verbose_name_plural = "ambiguous aliases"
        constraints = [
            models.UniqueConstraint(
                fields=(field, "alias"),
                condition=models.Q(
                    **{f"{field}__isnull": False, "cleared_at__isnull": True}
                ),
                name=f"ambiguous_alias_one_open_per_{field}",
            )
            for field in ("production", "person", "organization")
        ]

    def __str__(self):
        return f"{self.alias} ({self.entity})"

    @property
    def entity(self):
        return self.production or self.person or self.organization


class Lead(NewsArticle):
    """An article flagged as about intimacy coordination or an award
    mention that names nothing the tracker holds: where new evidence comes
    from. Its own permissions let a reviewer dismiss or promote leads."""

    class Meta:
        proxy = True
        verbose_name = "lead"
        verbose_name_plural = "leads"
