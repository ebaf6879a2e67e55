"""Reads for archived sources: the latest copy of each cited source, the
quote check of each citation, and the archive page of one source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from tracker.choices import QuoteCheckResult
from tracker.models import (
    AwardCategory,
    AwardMention,
    AwardOutcome,
    CampaignMilestone,
    Citation,
    Credit,
    IndustryStatistic,
    Policy,
    Production,
    Source,
    SourceSnapshot,
    Statement,
)
from tracker.quotes import Normalised, quote_span, text_normalise

LATEST_ATTR = "latest_snapshots"


def claim_labels_prefetch() -> GenericPrefetch:
    """The claim of each citation, joined for what its label (str) shows:
    one query per kind of claim, however many citations."""
    return GenericPrefetch(
        "claim",
        [
            Production.objects.all(),
            Statement.objects.select_related("speaker"),
            AwardCategory.objects.select_related("award_body"),
            AwardOutcome.objects.select_related("category__award_body", "production"),
            AwardMention.objects.select_related(
                "speaker", "coordinator"
            ).prefetch_related("award_bodies"),
            Policy.objects.select_related("organization"),
            IndustryStatistic.objects.all(),
            CampaignMilestone.objects.select_related("campaign"),
            Credit.objects.select_related("person", "production"),
        ],
    )


def latest_snapshot_prefetch(through: str = "") -> Prefetch:
    """Each source's latest archived copy (its text, not its body), as
    `source.latest_snapshots`: one query for any number of sources."""
    return Prefetch(
        f"{through}snapshots",
        queryset=SourceSnapshot.objects.filter(latest=True).only(
            "id", "source_id", "fetched_at", "text", "origin", "final_url"
        ),
        to_attr=LATEST_ATTR,
    )


def source_snapshot(source: Source) -> SourceSnapshot | None:
    if hasattr(source, LATEST_ATTR):
        latest = getattr(source, LATEST_ATTR)
        return latest[0] if latest else None
    return (
        SourceSnapshot.objects.filter(source=source, latest=True)
        .defer("body_gzip")
        .first()
    )


@dataclass(frozen=True)
class QuoteCheck:
    result: str
    snapshot_at: dt.datetime | None = None

    @property
    def found(self) -> bool:
        return self.result == QuoteCheckResult.FOUND

    def label(self) -> str:
        return QuoteCheckResult(self.result).label

    def as_dict(self) -> dict:
        return {
            "result": self.result,
            "snapshot_at": self.snapshot_at.isoformat() if self.snapshot_at else None,
        }


def _normalised(snapshot: SourceSnapshot) -> Normalised:
    # Kept on the instance: one normalisation per source and request, however
    # many citations quote it.
    if not hasattr(snapshot, "_normalised_text"):
        snapshot._normalised_text = text_normalise(snapshot.text)
    return snapshot._normalised_text


def quote_check(citation: Citation) -> QuoteCheck | None:
    """Whether the citation's quote is in its source's latest archived
    copy, compared as the verbatim rule compares; None when it quotes
    nothing."""
    if not citation.quote.strip():
        return None
    snapshot = source_snapshot(citation.source)
    if snapshot is None or not snapshot.text:
        return QuoteCheck(
            QuoteCheckResult.NO_SNAPSHOT, snapshot.fetched_at if snapshot else None
        )
    found = quote_span(citation.quote, _normalised(snapshot)) is not None
    return QuoteCheck(
        QuoteCheckResult.FOUND if found else QuoteCheckResult.NOT_FOUND,
        snapshot.fetched_at,
    )


def quotes_not_found() -> list[Citation]:
    """Every citation whose quote is missing from its source's archived
    copy, for staff to look at."""
    citations = (
        Citation.objects.exclude(quote="")
        .select_related("source", "content_type")
        .prefetch_related(latest_snapshot_prefetch("source__"))
        .order_by("source__title", "id")
    )
    return [
        citation
        for citation in citations
        if (check := quote_check(citation))
        and check.result == QuoteCheckResult.NOT_FOUND
    ]


@dataclass
class Passage:
    """One cited passage located in the archived text."""

    start: int
    end: int
    citations: list[Citation] = field(default_factory=list)


@dataclass
class ArchivePage:
    source: Source
    snapshot: SourceSnapshot | None
    pieces: list[tuple[str, Passage | None]]
    """The text in order: plain runs (None) and cited passages."""
    missing: list[Citation]
    """Citations whose quote is not in the copy."""


def source_archive_get(slug: str) -> ArchivePage:
    source = get_object_or_404(
        Source.objects.select_related("link_health").prefetch_related(
            latest_snapshot_prefetch()
        ),
        slug=slug,
    )
    snapshot = source_snapshot(source)
    citations = list(
        Citation.objects.filter(source=source)
        .exclude(quote="")
        .select_related("content_type")
        .prefetch_related(claim_labels_prefetch())
        .order_by("id")
    )
    if snapshot is None or not snapshot.text:
        return ArchivePage(source, snapshot, [], citations)
    return ArchivePage(source, snapshot, *_passages_mark(snapshot, citations))


def _passages_mark(snapshot: SourceSnapshot, citations: list[Citation]):
    """The archived text cut at every cited passage, each found by the
    rule of the quote check and spanning the page's own words."""
    text = snapshot.text
    spans: dict[tuple[int, int], Passage] = {}
    missing = []
    for citation in citations:
        span = quote_span(citation.quote, _normalised(snapshot))
        if span is None:
            missing.append(citation)
            continue
        spans.setdefault(span, Passage(*span)).citations.append(citation)
    pieces: list[tuple[str, Passage | None]] = []
    position = 0
    for (start, end), passage in sorted(spans.items()):
        if start < position:
            # Overlapping passages: the later one joins the earlier.
            previous = pieces[-1][1]
            previous.citations.extend(passage.citations)
            continue
        if start > position:
            pieces.append((text[position:start], None))
        pieces.append((text[start:end], passage))
        position = end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces, missing


def citations_with_checks(citations) -> list[tuple[Citation, QuoteCheck | None]]:
    return [(citation, quote_check(citation)) for citation in citations]


def sources_archived() -> QuerySet[Source]:
    return Source.objects.filter(snapshots__latest=True)
