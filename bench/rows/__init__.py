"""Importing this package registers every benchmark row, in order."""

from . import api, matching, memory, news_search, parsing, refreshing, storing  # noqa: F401
