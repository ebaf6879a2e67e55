"""The public archive page of one source: the tracker's own copy of it,
every cited passage highlighted and linked to the claims that cite it."""

import nh3
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from tracker.models import Production
from tracker.selectors.archive import source_archive_get


def claim_page(claim) -> str:
    """The public page where a claim is shown: its production's, its
    speaker's or its campaign's, else the case page."""
    if isinstance(claim, Production):
        return reverse("web:production", args=[claim.slug])
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


def _text_html(pieces) -> str:
    """The archived text as HTML: every run sanitised by nh3 (the text is a
    stranger's page, never trusted as markup), cited passages in <mark>
    with a link to each claim citing them."""
    parts = []
    for number, (text, passage) in enumerate(pieces):
        # No tag survives: markup in a stranger's text is dropped and the
        # rest escaped.
        escaped = nh3.clean(text, tags=set())
        if passage is None:
            parts.append(escaped)
            continue
        links = format_html_join(
            " ",
            '<a class="archive__claim" href="{}">{}</a>',
            (
                (claim_page(citation.claim), f"cited for: {citation.claim}")
                for citation in passage.citations
            ),
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
