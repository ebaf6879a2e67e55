"""The tracker's own copy of each cited source, and the health of its link.

A snapshot is never edited: each fetch adds one, and the latest archived
one is what quotes are checked against. Link checks are kept as a history
so staff see when a source started failing and why.
"""

import gzip

from django.db import models

from tracker.choices import LinkStatus, SnapshotOrigin, SnapshotOutcome

from .sources import Citation, Source


class SourceSnapshot(models.Model):
    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="snapshots"
    )
    outcome = models.CharField(
        max_length=20,
        choices=SnapshotOutcome.choices,
        help_text="Archived, or why not.",
    )
    origin = models.CharField(
        max_length=20, choices=SnapshotOrigin.choices, default=SnapshotOrigin.FETCHED
    )
    reason = models.TextField(
        blank=True, help_text="Why it was not archived, in the fetcher's words."
    )
    requested_url = models.URLField(max_length=1000, blank=True)
    final_url = models.URLField(
        max_length=1000, blank=True, help_text="Where the page came from in the end."
    )
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    fetched_at = models.DateTimeField(db_index=True)
    content_type = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the body as received."
    )
    size = models.PositiveIntegerField(default=0, help_text="Body size in bytes.")
    body_gzip = models.BinaryField(blank=True, default=b"", editable=False)
    text = models.TextField(
        blank=True, help_text="The main text, extracted with trafilatura."
    )
    text_note = models.CharField(
        max_length=500,
        blank=True,
        help_text="Why there is no extracted text (a PDF, an extraction error).",
    )
    latest = models.BooleanField(
        default=False,
        editable=False,
        help_text="The source's latest archived copy: the one quotes are "
        "checked against.",
    )

    class Meta:
        ordering = ("-fetched_at", "-id")
        indexes = [models.Index(fields=("source", "-fetched_at"))]
        constraints = [
            models.UniqueConstraint(
                fields=("source",),
                condition=models.Q(latest=True),
                name="snapshot_one_latest_per_source",
            ),
        ]

    def __str__(self):
        return f"{self.source} at {self.fetched_at:%Y-%m-%d %H:%M}"

    @property
    def body(self) -> bytes:
        return gzip.decompress(bytes(self.body_gzip)) if self.body_gzip else b""


class SourceLink(models.Model):
    """Whether a source's address still answers, and where else to read it."""

    source = models.OneToOneField(
        Source, on_delete=models.CASCADE, related_name="link_health"
    )
    status = models.CharField(
        max_length=20,
        choices=LinkStatus.choices,
        default=LinkStatus.UNCHECKED,
        db_index=True,
        help_text="Dead only after two failures (404, 410, no such host) at "
        "least a day apart; one failure is failing.",
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(
        null=True, blank=True, help_text="The first failure since it last answered."
    )
    hard_failures = models.PositiveIntegerField(
        default=0, help_text="404, 410 or no such host, since it last answered."
    )
    last_error = models.TextField(blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    wayback_url = models.URLField(
        max_length=1000, blank=True, help_text="The Wayback Machine's copy."
    )
    wayback_error = models.TextField(blank=True)

    def __str__(self):
        return f"{self.source}: {self.get_status_display()}"


class LinkCheck(models.Model):
    """One recheck of a source's address."""

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="link_checks"
    )
    checked_at = models.DateTimeField(db_index=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    ok = models.BooleanField()
    hard = models.BooleanField(
        default=False, help_text="A failure that counts towards dead."
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ("-checked_at", "-id")

    def __str__(self):
        return f"{self.source} at {self.checked_at:%Y-%m-%d %H:%M}"


class QuoteNotFound(Citation):
    """Citations whose quote is not in the source's archived copy: a view
    of Citation for the admin, where staff fix the quote or the source."""

    class Meta:
        proxy = True
        verbose_name = "quote not found in its source"
        verbose_name_plural = "quotes not found in their sources"
