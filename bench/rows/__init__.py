"""Importing this package registers every benchmark row, in order."""

from . import api, news  # noqa: F401
