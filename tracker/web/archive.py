"""The public archive page of one source: the tracker's own copy of it,
every cited passage highlighted and linked to the claims that cite it."""

import nh3
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from tracker.choices import CitationStance
from tracker.selectors.archive import source_archive_get

from . import records


def claim_page(claim) -> str:
    """The claim's own public page. A claim of a kind with no page of its
    own (a credit) links to its production's or its person's page, else
    the case page."""
    if type(claim) in records.BY_MODEL:
        return records.record_url(claim)
    for attribute, route in (
        ("production", "web:production"),
        ("speaker", "web:person"),
        ("person", "web:person"),
        ("campaign", "web:campaign"),
    ):
        related = getattr(claim, attribute, None)
        if related is not None and getattr(related, "slug", ""):
            return reverse(route, args=[related.slug])
    return reverse("web:case") + "#evidence"


def _citation_html(citation) -> str:
    """What a passage is cited for: whether it supports or disputes the
    claim, a link to the claim and, for a dispute, what the source says
    instead."""
    disputes = citation.stance == CitationStance.DISPUTES
    says = (
        format_html("; this source says instead: {}", citation.source_says)
        if disputes and citation.source_says
        else ""
    )
    return format_html(
        '<span class="archive__cite archive__cite--{}">'
        '<span class="badge badge--{}">{}</span> '
        '<a class="archive__claim" href="{}">{}</a>{}</span>',
        citation.stance,
        citation.stance,
        "Disputes" if disputes else "Supports",
        claim_page(citation.claim),
        citation.claim,
        says,
    )


def _text_html(pieces) -> str:
    """The archived text as HTML: every run sanitised by nh3 (the text is a
    stranger's page, never trusted as markup), cited passages in <mark>
    with a link to each claim citing them and its stance."""
    parts = []
    for number, (text, passage) in enumerate(pieces):
        # No tag survives: markup in a stranger's text is dropped and the
        # rest escaped.
        escaped = nh3.clean(text, tags=set())
        if passage is None:
            parts.append(escaped)
            continue
        links = format_html_join(
            " ", "{}", ((_citation_html(citation),) for citation in passage.citations)
        )
        parts.append(
            format_html(
                '<mark class="archive__passage" id="passage-{}">{}</mark>'
                '<span class="archive__claims">{}</span>',
                number,
                mark_safe(escaped),  # noqa: S308  # nosec B308 B703 (sanitised by nh3 above)
                links,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 (each part escaped)


def source_archive(request, slug):
    page = source_archive_get(slug)
    return render(
        request,
        "tracker/source_archive.html",
        {
            "page": page,
            "source": page.source,
            "snapshot": page.snapshot,
            "text_html": _text_html(page.pieces),
            "missing": [
                (citation, claim_page(citation.claim)) for citation in page.missing
            ],
            "passages": sum(1 for _, passage in page.pieces if passage),
        },
    )
