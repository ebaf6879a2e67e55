"""Writes: keyword-only, typed, atomic; named <thing>_<verb>."""
