"""The summary is cached whole, keyed on the data version
(`tracker.caching`), so any write to tracker data recomputes it."""

from tracker.caching import SUMMARY
from tracker.selectors.summary import case_summary


def summary_data() -> dict:
    return SUMMARY.get_or_compute(case_summary)
