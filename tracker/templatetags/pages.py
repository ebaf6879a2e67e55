"""Template helpers of the public pages."""

from django import template

from tracker.choices import CitationStance
from tracker.web import records

register = template.Library()


@register.filter
def record_url(record) -> str:
    """The public page of any record."""
    return records.record_url(record)


@register.filter
def citations(claim) -> list:
    """A claim's citations, as the page selectors prefetch them."""
    return getattr(claim, "citation_list", [])


def _current(citation) -> bool:
    return getattr(citation, "deprecated_on", None) is None


@register.filter
def disputed(claim) -> bool:
    """True while any current citation disputes the claim."""
    return any(
        c.stance == CitationStance.DISPUTES and _current(c) for c in citations(claim)
    )


@register.filter
def disputing(claim) -> list:
    return [
        c
        for c in citations(claim)
        if c.stance == CitationStance.DISPUTES and _current(c)
    ]


@register.filter
def supporting(claim) -> list:
    return [
        c
        for c in citations(claim)
        if c.stance == CitationStance.SUPPORTS and _current(c)
    ]


@register.filter
def percent(share) -> str:
    """A share of 1 as a whole percentage; "-" when there is none."""
    if share is None or share == "":
        return "-"
    return f"{round(float(share) * 100)}%"
