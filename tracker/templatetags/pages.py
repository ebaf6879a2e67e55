"""Template helpers of the public pages."""

from django import template
from django.utils.html import format_html

from tracker.choices import CitationStance
from tracker.models.base import date_display, date_machine
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


@register.simple_tag
def known_date(date, precision) -> str:
    """A <time> showing a date only as precisely as it is known: a source
    dated to its year reads "2024", never "1 January 2024"."""
    return format_html(
        '<time datetime="{}">{}</time>',
        date_machine(date, precision),
        date_display(date, precision),
    )


@register.filter
def percent(share) -> str:
    """A share of 1 as a whole percentage; "-" when there is none."""
    if share is None or share == "":
        return "-"
    return f"{round(float(share) * 100)}%"


# Opening quotation marks and the mark that closes each.
_QUOTE_PAIRS = {"“": "”", '"': '"', "‘": "’", "«": "»", "„": "“"}


@register.filter
def in_quotation_marks(text) -> bool:
    """Whether `text` is already one quotation from end to end: a passage
    in which the source quotes someone, stored as the source prints it. The
    page then shows it as it is, rather than inside a second pair of marks
    (““...””); a passage with a quotation inside it still gets its own."""
    text = str(text or "").strip()
    if len(text) < 2 or text[0] not in _QUOTE_PAIRS:
        return False
    closing = _QUOTE_PAIRS[text[0]]
    inside = text[1:-1]
    return text[-1] == closing and closing not in inside and text[0] not in inside
