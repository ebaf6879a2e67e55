"""The matcher's fold takes a fast path over ASCII runs; it must give
exactly what folding character by character gives."""

import random
import unicodedata

import pytest

from tracker.news.match import _FOLD_TABLE, fold_with_positions


def fold_by_character(text: str) -> tuple[str, list[int]]:
    """The reference: the definition of folding, one character at a time."""
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text.translate(_FOLD_TABLE)):
        if char.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                index.append(i)
            continue
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            for folded in part.casefold():
                out.append(folded)
                index.append(i)
    return "".join(out), index


def _listed(folded_and_index):
    """The index as a plain list, whichever form fold returned it in."""
    folded, index = folded_and_index
    return folded, [index[i] for i in range(len(folded))]


ALPHABET = (
    "abcXYZ019 '.,-\t\n\u00a0\u2003"  # ASCII and Unicode spaces
    # é É ß İ ﬁ ’ ‘ – and two combining marks
    "\u00e9\u00c9\u00df\u0130\ufb01\u2019\u2018\u2013\u0301\u0308"
    "\u00f8\u0141\u4e2d\u0436"
)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Ita O’Brien thanked  Michaela Coel’s team",
        "  leading and trailing  ",
        "Zoë Kravitz — STRAẞE İstanbul ﬁlm",
        "a \u0301 b",
        "\u0301 start",
        "tab\tand\nnewline\u00a0nbsp",
    ],
)
def test_known_texts_fold_as_by_character(text):
    assert _listed(fold_with_positions(text)) == fold_by_character(text)
    ascii_only = text.encode("ascii", "ignore").decode()
    assert _listed(fold_with_positions(ascii_only)) == fold_by_character(ascii_only)


def test_random_texts_fold_as_by_character():
    rng = random.Random(2026)  # noqa: S311 - test data, not secrets
    for _ in range(2000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
        assert _listed(fold_with_positions(text)) == fold_by_character(text), repr(text)
        ascii_only = text.encode("ascii", "ignore").decode()
        assert _listed(fold_with_positions(ascii_only)) == fold_by_character(ascii_only)
