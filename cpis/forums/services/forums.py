"""The forum registry: a forum at a sector, substation or station, or a municipal council at a station
[2.4.1, 2.4.11]."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import check_choice, clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Language, Municipality, Unit, UnitKind

from ..models import (
    Forum,
    ForumKind,
    ForumStatus,
)
from ..policy import policy
from ..selectors import FORUM_PLACE_KINDS
from .checks import WrongPlace, past_date


class CouncilNeedsStation(DomainError):
    message = gettext_lazy("A municipal community safety council belongs to a police station.")


@dataclass(frozen=True)
class ForumInput:
    kind: str
    name: str
    language: str
    unit: Unit
    established_on: date
    meetings_per_year: int
    municipality: Municipality | None = None
    status: str = ForumStatus.ACTIVE


def _check_forum(data: ForumInput) -> tuple[str, str]:
    kind = check_choice(data.kind, ForumKind.values, _("Choose the kind of forum."))
    if data.unit.kind not in FORUM_PLACE_KINDS:
        raise WrongPlace()
    if kind == ForumKind.MCSC and data.unit.kind != UnitKind.STATION:
        raise CouncilNeedsStation()
    check_choice(data.language, Language.values, _("Choose the language of the name."))
    check_choice(data.status, ForumStatus.values, _("Choose a status."))
    past_date(data.established_on, _("The date of establishment must lie between %(earliest)s and today."))
    if not 0 <= data.meetings_per_year <= 52:
        raise InvalidInput(_("Expected meetings per year must be between 0 and 52."))
    return kind, clean_text(data.name, limit=200, required=True, missing=_("Give the forum's name."))


@transaction.atomic
def create_forum(actor: Actor, *, data: ForumInput) -> Forum:
    """Register a forum at a sector or station the actor manages [2.4.1, 2.4.11]."""
    policy.require(actor, "manage", data.unit.path)
    kind, name = _check_forum(data)
    today = timezone.localdate()
    return Forum.objects.create(
        kind=kind,
        name=name,
        language=data.language,
        unit=data.unit,
        unit_path=data.unit.path,
        municipality=data.municipality or data.unit.municipality,
        established_on=data.established_on,
        meetings_per_year=data.meetings_per_year,
        status=data.status,
        dissolved_on=today if data.status == ForumStatus.DISSOLVED else None,
    )


@transaction.atomic
def update_forum(actor: Actor, *, forum: Forum, data: ForumInput) -> Forum:
    """Change a forum's details; moving it needs the right to manage both places.
    Dissolving it records the day; reviving it clears the day."""
    policy.require(actor, "manage", forum.unit_path)
    policy.require(actor, "manage", data.unit.path)
    kind, name = _check_forum(data)
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    if data.status == ForumStatus.DISSOLVED and forum.status != ForumStatus.DISSOLVED:
        forum.dissolved_on = max(timezone.localdate(), data.established_on)
    elif data.status != ForumStatus.DISSOLVED:
        forum.dissolved_on = None
    forum.kind, forum.name, forum.language = kind, name, data.language
    forum.unit, forum.unit_path = data.unit, data.unit.path
    forum.municipality = data.municipality or data.unit.municipality
    forum.established_on, forum.meetings_per_year = data.established_on, data.meetings_per_year
    forum.status = data.status
    forum.save()
    return forum
