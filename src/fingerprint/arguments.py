"""Checks of what a caller passes: a wrong argument names itself and its value, in the words the
core's own checks use (``max_postings (2.5) must be a positive integer``)."""

from __future__ import annotations


def check_positive(name: str, value: object) -> None:
    """Raises ValueError unless ``value`` is an integer of at least 1 (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} ({value!r}) must be a positive integer")
