"""When a quote counts as found in a passage: the one rule behind the
verbatim check on claims (tracker.models.sources), the check of quotes
against archived copies of sources and the highlighting of those quotes on
the archive page (tracker.selectors.archive).

A quote is found when, after both texts are normalised, its fragments
appear in the passage in order. Normalising forgives only what printing
changes and a copy editor would: runs of whitespace, typographic quotation
marks, apostrophes and dashes, invisible soft hyphens and zero-width
spaces, the case of a fragment's first letter (a quote taken from
mid-sentence), quotation marks around the quote and the punctuation that
ends it. An ellipsis (`...`, `…`, `[...]`) in the quote stands for words
left out, a bracketed insertion (`[the director]`) for the words it
replaces, and `[sic]` marks a slip printed as the source prints it, so it
is not looked for.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Typographic marks a source may print where a quote has plain ones, and
# marks a page carries that no reader sees.
_MARKS = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark, the apostrophe
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",  # prime
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",
        "\u2212": "-",  # minus sign
        "\u2026": "...",  # the ellipsis character
        "\u00a0": " ",  # no-break space
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
    }
)
_SIC = re.compile(r"\s*\[sic\]", re.IGNORECASE)
_GAP = re.compile(r"\[[^\]]*\]|\(\s*\.\.\.\s*\)|\.\.\.")
# Stripped from the ends of each fragment of a quote: quotation marks, and
# the punctuation a writer swaps when a quote ends mid-sentence.
_EDGE_START = "\"' "
_EDGE_END = "\"' .,;:!?"


@dataclass(frozen=True)
class Normalised:
    """A text as the comparison sees it, with the span of the original
    text each of its characters came from (for highlighting a passage in
    the page's own words)."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def _clusters(text: str):
    """(start, end) of each run of a character and the marks that combine
    with it, which Unicode composition never joins across."""
    start = 0
    for index in range(1, len(text)):
        char = text[index]
        # Hangul vowel and final jamo compose with the syllable before them.
        if not unicodedata.combining(char) and not "\u1160" <= char <= "\u11ff":
            yield start, index
            start = index
    if text:
        yield start, len(text)


def text_normalise(text: str) -> Normalised:
    """The text Unicode-composed, typographic marks made plain, invisible
    marks dropped and whitespace collapsed, mapped back to the original."""
    text = text or ""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(text):
        piece = unicodedata.normalize("NFC", text[start:end]).translate(_MARKS)
        for char in piece:
            if char.isspace():
                if not out or out[-1] == " ":
                    continue
                char = " "
            out.append(char)
            starts.append(start)
            ends.append(end)
    if out and out[-1] == " ":
        del out[-1], starts[-1], ends[-1]
    return Normalised("".join(out), tuple(starts), tuple(ends))


def normalise_quote(text: str) -> str:
    """The text as the comparison sees it (see text_normalise)."""
    return text_normalise(text).text


def quote_fragments(quote: str) -> list[str]:
    """The parts of a quote between its gaps, each trimmed of quotation
    marks and end punctuation; empty parts are dropped."""
    fragments = []
    for part in _GAP.split(_SIC.sub("", normalise_quote(quote))):
        part = part.strip().lstrip(_EDGE_START).rstrip(_EDGE_END).strip()
        if part:
            fragments.append(part)
    return fragments


def _find(fragment: str, passage: str, start: int) -> int:
    """Where the fragment first appears from `start`, its first letter in
    either case; -1 when it does not."""
    first, rest = fragment[0], fragment[1:]
    found = [
        passage.find(variant + rest, start)
        for variant in {first.lower(), first.upper()}
    ]
    found = [index for index in found if index >= 0]
    return min(found) if found else -1


def _closing_marks(quote: str) -> set[str]:
    """The end punctuation the quote itself closes with."""
    text = _SIC.sub("", normalise_quote(quote))
    return set(text[len(text.rstrip(_EDGE_END)) :]) - {" "}


def quote_span(quote: str, passage: str | Normalised) -> tuple[int, int] | None:
    """Where the quote is in the passage, as (start, end) in the original
    passage from its first fragment to its last, or None when any fragment
    is missing or out of order. A quote with no words is never found."""
    fragments = quote_fragments(quote)
    if not fragments:
        return None
    if not isinstance(passage, Normalised):
        passage = text_normalise(passage)
    text = passage.text
    position = 0
    first = None
    # The earliest place each fragment fits leaves the most room for the
    # next, so one forward scan decides.
    for fragment in fragments:
        index = _find(fragment, text, position)
        if index < 0:
            return None
        first = index if first is None else first
        position = index + len(fragment)
    # The closing punctuation the quote and the passage share belongs to
    # the highlighted passage too.
    closing = _closing_marks(quote)
    while position < len(text) and text[position] in closing:
        position += 1
    return passage.starts[first], passage.ends[position - 1]


def quote_in_passage(quote: str, passage: str | Normalised) -> bool:
    """Whether every fragment of the quote appears in the passage, in order
    and without overlapping."""
    return quote_span(quote, passage) is not None
