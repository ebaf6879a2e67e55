"""Importing this package registers every benchmark row, in order."""

from . import api  # noqa: F401
