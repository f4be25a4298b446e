"""Training needs raised by units."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.core.text import clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from ..models import (
    NeedStatus,
    Programme,
    TrainingNeed,
)
from ..policy import policy
from .checks import past_date


@transaction.atomic
def record_need(
    actor: Actor, *, unit: Unit, description: str, identified_on: date | None = None
) -> TrainingNeed:
    """A training need a unit identified [1.3.7]: its lead roles, or nationally."""
    policy.require(actor, "manage_need", unit.path)
    if unit.kind == UnitKind.SECTOR:
        raise InvalidInput(_("Needs are recorded for a station, a region or the directorate."))
    day = identified_on or timezone.localdate()
    past_date(day, label=str(_("identified on")))
    return TrainingNeed.objects.create(
        unit=unit,
        unit_path=unit.path,
        description=clean_text(description, limit=4000, required=True, missing=_("Describe the need.")),
        identified_on=day,
        created_by_id=actor.user_id,
    )


@transaction.atomic
def set_need_status(
    actor: Actor, *, need: TrainingNeed, status: str, programme: Programme | None = None
) -> TrainingNeed:
    """Follow a need up: training planned, met (by a programme), or dropped."""
    policy.require(actor, "manage_need", need.unit_path)
    if status not in NeedStatus.values:
        raise InvalidInput(_("Choose a status."))
    need.status, need.programme = status, programme
    need.save(update_fields=["status", "programme"])
    return need
