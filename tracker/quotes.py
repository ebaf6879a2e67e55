"""When a quote counts as found in a passage: the one rule behind the
verbatim check on claims (tracker.models.sources) and the check of quotes
against archived copies of sources.

A quote is found when, after both texts are normalised, its fragments
appear in the passage in order. Normalising forgives only what printing
changes and a copy editor would: runs of whitespace, typographic quotation
marks and apostrophes, the case of a fragment's first letter (a quote
taken from mid-sentence), quotation marks around the quote and the
punctuation that ends it. An ellipsis (`...`, `…`, `[...]`) in the quote
stands for words left out, and `[sic]` marks a slip printed as the source
prints it, so it is not looked for.
"""

import re
import unicodedata

# Typographic marks a source may print where a quote has plain ones.
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
        "\u2026": "...",  # the ellipsis character
        "\u00a0": " ",  # no-break space
    }
)
_SPACE = re.compile(r"\s+")
_SIC = re.compile(r"\s*\[sic\]", re.IGNORECASE)
_GAP = re.compile(r"\[\s*\.\.\.\s*\]|\(\s*\.\.\.\s*\)|\.\.\.")
# Stripped from the ends of each fragment of a quote: quotation marks, and
# the punctuation a writer swaps when a quote ends mid-sentence.
_EDGE_START = "\"' "
_EDGE_END = "\"' .,;:!?"


def normalise_quote(text: str) -> str:
    """The text as the comparison sees it: Unicode-composed, typographic
    quotation marks and apostrophes made plain, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text or "").translate(_MARKS)
    return _SPACE.sub(" ", text).strip()


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


def quote_in_passage(quote: str, passage: str) -> bool:
    """Whether every fragment of the quote appears in the passage, in order
    and without overlapping. A quote with no words is never found."""
    fragments = quote_fragments(quote)
    if not fragments:
        return False
    text = normalise_quote(passage)
    position = 0
    # The earliest place each fragment fits leaves the most room for the
    # next, so one forward scan decides.
    for fragment in fragments:
        index = _find(fragment, text, position)
        if index < 0:
            return False
        position = index + len(fragment)
    return True
