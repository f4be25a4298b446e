"""Marks every view as public or guarded, so that a test can prove no URL
was left open by accident (tests/test_url_guards.py)."""

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])

ACCESS_ATTRIBUTE = "cpis_access"


def public(view: F) -> F:
    """Anyone may open this view; it shows public information only."""
    setattr(view, ACCESS_ATTRIBUTE, "public")
    return view


def mark_guarded(view: F, how: str) -> F:
    setattr(view, ACCESS_ATTRIBUTE, how)
    return view
