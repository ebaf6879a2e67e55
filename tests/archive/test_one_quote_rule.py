"""The verbatim check on a claim's quote and the check of a citation's
quote against the archived copy of its source are one rule
(tracker.quotes): every case reads the same on both paths."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories as f
from tracker.choices import QuoteCheckResult
from tracker.models import Citation, Statement
from tracker.selectors.archive import quote_check
from tracker.services.archive import snapshot_ship
from tracker.services.records import record_create

pytestmark = pytest.mark.django_db

# As a page prints it: curly quotation marks and apostrophes, a dash, a
# line break and doubled spaces.
PASSAGE = (
    "Challengers frontwoman Zendaya spoke about how \u201cincredible\u201d it "
    "was. \u201cIt was important that we felt safe,\u201d the star said. "
    "\u201cI know what it\u2019s like\u2014\n\n the messy,   embarrassing "
    "feeling.\u201d"
)

CASES = [
    # (quote, found)
    ('"It was important that we felt safe"', True),  # straight for curly
    ("I know what it's like", True),  # a straight apostrophe
    ("\u201cIt was important that we felt safe,\u201d", True),  # curly as printed
    ("I know what it\u2019s like- the messy, embarrassing feeling", True),  # dash
    ("the messy,\nembarrassing   feeling.", True),  # whitespace and newlines
    ("it was important that we felt safe", True),  # the first letter's case
    ("IT WAS IMPORTANT that we felt safe", False),  # case past the first letter
    ("It was important ... embarrassing feeling", True),  # a `...` gap
    ("It was important \u2026 embarrassing feeling", True),  # a `…` gap
    ("embarrassing feeling ... It was important", False),  # out of order
    ("It was important that we felt safe, the star said", False),  # mark dropped
    ("Intimacy coordinators spoil the spontaneity.", False),  # never printed
    ("It was vital that we felt safe.", False),  # a word changed
]


def _verbatim_accepted(quote: str) -> bool:
    """Whether a verbatim statement quoting `quote` is saved with a
    citation whose passage is the page."""
    try:
        record_create(
            model=Statement,
            fields={
                "speaker": f.PersonFactory(),
                "quote": quote,
                "stance": "supports",
                "quote_kind": "verbatim",
            },
            citations=[{"source": f.SourceFactory(), "quote": PASSAGE}],
        )
    except ValidationError as refused:
        assert "quote" in refused.message_dict
        return False
    return True


def _snapshot_found(quote: str, cite) -> bool:
    """Whether a citation quoting `quote` reads `found` against an
    archived copy that is the page."""
    source = f.SourceFactory(url="")
    snapshot_ship(source=source, text=PASSAGE, shipped_at=timezone.now())
    cite(source, quote)
    check = quote_check(Citation.objects.get(source=source))
    assert check.result in (QuoteCheckResult.FOUND, QuoteCheckResult.NOT_FOUND)
    return check.found


@pytest.mark.parametrize(("quote", "found"), CASES)
def test_the_verbatim_rule_and_the_snapshot_check_agree(quote, found, cite):
    verbatim = _verbatim_accepted(quote)
    snapshot = _snapshot_found(quote, cite)

    assert (verbatim, snapshot) == (found, found)
