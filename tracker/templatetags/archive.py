"""Template helpers for archived sources."""

from django import template
from django.urls import reverse

from tracker.choices import LinkStatus
from tracker.selectors.archive import quote_check, source_snapshot

register = template.Library()


@register.filter
def citation_quote_check(citation):
    """The citation's quote check (None when it quotes nothing): needs the
    latest snapshot prefetched on its source to stay one query a page."""
    return quote_check(citation)


@register.filter
def source_archive_url(source) -> str:
    """The archive page's address, when the source has an archived copy."""
    if source_snapshot(source) is None:
        return ""
    return reverse("web:source_archive", args=[source.slug])


@register.filter
def source_link_dead(source) -> bool:
    try:
        return source.link_health.status == LinkStatus.DEAD
    except source.__class__.link_health.RelatedObjectDoesNotExist:
        return False
