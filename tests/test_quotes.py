"""When a quote counts as found in its passage."""

import pytest

from tracker.quotes import (
    normalise_quote,
    quote_fragments,
    quote_in_passage,
    quote_span,
    text_normalise,
)

PASSAGE = (
    "Challengers frontwoman Zendaya spoke about how “incredible” it was. "
    "“It was important that we felt safe,” the star said. “I know what it’s "
    "like.\n\n The messy,   embarrassing feeling.”"
)


@pytest.mark.parametrize(
    "quote",
    [
        "It was important that we felt safe.",  # a comma where the quote ends
        '"It was important that we felt safe"',  # quotation marks around it
        "it was important that we felt safe",  # first letter's case
        "I know what it's like. The messy, embarrassing feeling.",  # ’ and spaces
        "I know what it’s like ... embarrassing feeling",  # a gap
        "It was important […] embarrassing feeling",  # bracketed ellipsis
        "It was important [...] felt safe [sic]",  # [sic] is not looked for
        "It was important that [they] felt safe",  # an insertion for words
        "I know what it’s like. The messy, embar\u00adrassing feeling",  # soft hyphen
    ],
)
def test_what_printing_changes_is_forgiven(quote):
    assert quote_in_passage(quote, PASSAGE)


@pytest.mark.parametrize(
    "quote",
    [
        "It was vital that we felt safe.",  # a word changed
        "Intimacy coordinators spoil the spontaneity.",  # never printed
        "embarrassing feeling ... It was important",  # fragments out of order
        "IT WAS IMPORTANT that we felt safe",  # case past the first letter
        "It was important that we felt safe, the star said",  # a mark dropped
        "",
        "...",
    ],
)
def test_words_the_passage_does_not_hold_are_not_found(quote):
    assert not quote_in_passage(quote, PASSAGE)


def test_normalising_makes_marks_plain_and_collapses_whitespace():
    assert normalise_quote(" “It’s”\u00a0 here…\n") == '"It\'s" here...'


def test_a_quote_splits_at_its_gaps():
    assert quote_fragments("“One, ... two [...] three.”") == ["One", "two", "three"]


def test_dashes_are_one_mark_and_invisible_marks_are_dropped():
    assert normalise_quote("safe\u2014 always\u2013 it\u200bs") == "safe- always- its"


def test_a_quote_is_located_in_the_passage_as_printed():
    passage = "Intro. \u201cIt\u2019s   essential\u2014always.\u201d Outro."

    start, end = quote_span("it's essential-always.", passage)

    # From the first letter to the full stop the quote ends with, in the
    # page's own characters; not the closing mark the quote leaves out.
    assert passage[start:end] == "It\u2019s   essential\u2014always."


def test_a_span_maps_composed_and_expanded_characters_back():
    # "e" and a combining acute compose to one character; "…" becomes three.
    passage = "Cafe\u0301 society\u2026 and more"
    normalised = text_normalise(passage)

    assert normalised.text == "Caf\u00e9 society... and more"
    start, end = quote_span("café society", normalised)
    assert passage[start:end] == "Cafe\u0301 society"
    assert quote_span("and more", passage) == (len(passage) - 8, len(passage))


def test_a_quote_not_in_the_passage_has_no_span():
    assert quote_span("No coordinator was on set.", "A coordinator was on set.") is None
    assert quote_span("", "Anything") is None
