"""{% load places %}: a place's readable address and the name citizens call it by."""

from django import template

from cpis.organisation.models import Unit

from .. import selectors

register = template.Library()


@register.filter
def place_url(unit: Unit) -> str:
    return selectors.place_url(unit)


@register.filter
def place_name(unit: Unit) -> str:
    return selectors.place_name(unit)
