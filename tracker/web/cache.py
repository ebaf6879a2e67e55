"""The case page is cached whole, keyed on the data version
(`tracker.caching`), so any write to tracker data renders it afresh."""

from tracker.caching import data_version

PAGE_KEY = "tracker:case:page:{version}"
PAGE_TTL = 60 * 15


def case_page_key() -> str:
    return PAGE_KEY.format(version=data_version())
