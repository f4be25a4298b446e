"""Training programmes and their modules."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.core.text import clean_text
from cpis.organisation.access import Actor

from ..models import (
    Level,
    Module,
    Programme,
)
from .checks import past_date, require_national


def _programme_fields(
    *, title: str, level: str, description: str, approved_on: date | None
) -> dict[str, object]:
    if level not in Level.values:
        raise InvalidInput(_("Choose the level of the programme."))
    return {
        "title": clean_text(title, limit=200, required=True, missing=_("Give the programme a title.")),
        "level": level,
        "description": clean_text(description, limit=8000, required=False),
        "approved_on": past_date(approved_on, label=str(_("approved on"))),
    }


@transaction.atomic
def create_programme(
    actor: Actor, *, title: str, level: str, description: str = "", approved_on: date | None = None
) -> Programme:
    """A training programme or curriculum [1.3.4, 1.3.6, 1.3.9]; it counts as
    designed once it has an approval date. National roles only."""
    require_national(actor)
    return Programme.objects.create(
        **_programme_fields(title=title, level=level, description=description, approved_on=approved_on)
    )


@transaction.atomic
def update_programme(
    actor: Actor,
    *,
    programme: Programme,
    title: str,
    level: str,
    description: str = "",
    approved_on: date | None = None,
) -> Programme:
    """Change a programme; setting its approval date counts it as designed. National roles only."""
    require_national(actor)
    fields = _programme_fields(title=title, level=level, description=description, approved_on=approved_on)
    for field, value in fields.items():
        setattr(programme, field, value)
    programme.save()
    return programme


@transaction.atomic
def add_module(actor: Actor, *, programme: Programme, title: str, hours: int) -> Module:
    """A module of a programme, at its end. National roles only."""
    require_national(actor)
    title = clean_text(title, limit=200, required=True, missing=_("Give the module a title."))
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= 500:
        raise InvalidInput(_("A module lasts from 1 to 500 hours."))
    last = programme.modules.order_by("-position").values_list("position", flat=True).first()
    return Module.objects.create(programme=programme, title=title, hours=hours, position=(last or 0) + 1)


@transaction.atomic
def remove_module(actor: Actor, *, module: Module) -> None:
    """Take a module out of its programme. National roles only."""
    require_national(actor)
    Module.objects.filter(pk=module.pk).delete()
