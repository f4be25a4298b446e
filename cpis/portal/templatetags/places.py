"""{% load places %}: a place's readable address and the name citizens call it by."""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from cpis.organisation.models import Unit

from .. import selectors

register = template.Library()


@register.filter
def place_url(unit: Unit | str) -> str:
    """The page of a unit, or of the unit at a materialised path."""
    return selectors.place_url(unit)


@register.filter
def place_name(unit: Unit) -> str:
    return selectors.place_name(unit)


@register.filter
def cells(counts: Iterable[int]) -> SafeString:
    """A row's counts as table cells, written at once (a figures table has hundreds)."""
    return format_html_join("", "<td>{}</td>", ((n,) for n in counts))
