"""When a quote counts as found in its passage."""

import pytest

from tracker.quotes import normalise_quote, quote_fragments, quote_in_passage

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
