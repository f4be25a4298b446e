"""The list of trainers."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer

from ..models import (
    Trainer,
)
from .checks import past_date, require_national


class TrainerExists(DomainError):
    message = gettext_lazy("This officer is already on the list of trainers.")


def _trainer_fields(
    *, officer: Officer | None, name: str, organisation: str, areas: str, certified_on: date | None
) -> dict[str, object]:
    name = clean_text(name, limit=200, required=False)
    if officer is None and not name:
        raise InvalidInput(_("Choose an officer by badge number, or write the external trainer's name."))
    return {
        "officer": officer,
        "name": "" if officer is not None else name,
        "organisation": clean_text(organisation, limit=200, required=False),
        "areas": clean_text(areas, limit=300, required=False),
        "certified_on": past_date(certified_on, label=str(_("prepared as a trainer on"))),
    }


@transaction.atomic
def add_trainer(
    actor: Actor,
    *,
    officer: Officer | None = None,
    name: str = "",
    organisation: str = "",
    areas: str = "",
    certified_on: date | None = None,
) -> Trainer:
    """Add a trainer: one of our officers, or an external one named with their
    organisation (OSCE, ICITAP…) [1.3.3]. National roles only."""
    require_national(actor)
    fields = _trainer_fields(
        officer=officer, name=name, organisation=organisation, areas=areas, certified_on=certified_on
    )
    if officer is not None and Trainer.objects.filter(officer=officer).exists():
        raise TrainerExists()
    return Trainer.objects.create(**fields)


@transaction.atomic
def update_trainer(
    actor: Actor,
    *,
    trainer: Trainer,
    name: str = "",
    organisation: str = "",
    areas: str = "",
    certified_on: date | None = None,
    active: bool = True,
) -> Trainer:
    """Change a trainer's details, or retire them (inactive trainers stay on
    the courses they gave). National roles only."""
    require_national(actor)
    fields = _trainer_fields(
        officer=trainer.officer, name=name, organisation=organisation, areas=areas, certified_on=certified_on
    )
    for field, value in fields.items():
        setattr(trainer, field, value)
    trainer.active = active
    trainer.save()
    return trainer
