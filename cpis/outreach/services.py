"""Writes for outreach: log an activity, change it, delete it. An officer
changes their own entry for 7 days; station lead roles correct anyone's."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Settlement, Unit

from . import selectors
from .models import MAX_AUDIENCE, TOPIC_KINDS, Kind, OutreachActivity, Topic
from .policy import policy

# Nothing is logged from before the Kosovo Police existed.
EARLIEST = date(2000, 1, 1)


class EditWindowClosed(DomainError):
    status_code = 403
    message = gettext_lazy(
        "An entry can be changed or deleted by the officer who logged it only within 7 days. "
        "Ask the station's community-policing coordinator or commander to correct it."
    )


class NotYourEntry(DomainError):
    status_code = 403
    message = gettext_lazy(
        "Only the officer who logged this entry, or a coordinator or commander of the station, may change it."
    )


def _clean(
    *,
    kind: str,
    topic: str,
    happened_on: date,
    unit: Unit,
    audience: int,
    place: str,
    settlement: Settlement | None,
    notes: str,
) -> dict[str, object]:
    """The checked fields, or InvalidInput naming the first problem."""
    if kind not in Kind.values:
        raise InvalidInput(_("Choose what kind of activity it was."))
    if kind in TOPIC_KINDS:
        if topic not in Topic.values:
            raise InvalidInput(_("Choose the topic of the lecture or campaign."))
    else:
        topic = ""  # the form may send one left over from another kind
    if happened_on > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."))
    if happened_on < EARLIEST:
        raise InvalidInput(_("The date is too far in the past."))
    if unit.kind not in selectors.PLACE_KINDS:
        raise InvalidInput(_("Choose a sector or a station as the place."))
    if isinstance(audience, bool) or not isinstance(audience, int) or not 0 <= audience <= MAX_AUDIENCE:
        raise InvalidInput(
            _("The audience must be a whole number from 0 to %(max)s.") % {"max": MAX_AUDIENCE}
        )
    if settlement is not None and unit.municipality_id and settlement.municipality_id != unit.municipality_id:
        raise InvalidInput(_("The settlement is not in the municipality of this sector or station."))
    return {
        "kind": kind,
        "topic": topic,
        "happened_on": happened_on,
        "unit": unit,
        "unit_path": unit.path,
        "audience": audience,
        "place": clean_text(place, limit=200, required=False),
        "settlement": settlement,
        "notes": clean_text(notes, limit=4000, required=False),
    }


def _check_officers(
    actor: Actor, unit: Unit, officer_ids: Iterable[int], *, already: Iterable[int] = ()
) -> set[int]:
    """Officers must serve at the place's station; the actor themself and
    those already on the activity may stay."""
    wanted = set(officer_ids)
    me = selectors.officer_of(actor)
    free = set(already) | ({me.pk} if me is not None else set())
    allowed = selectors.allowed_officer_ids(unit, wanted - free) | (wanted & free)
    if wanted - allowed:
        raise InvalidInput(_("Choose officers who serve at this station."))
    return wanted


@transaction.atomic
def log_activity(
    actor: Actor,
    *,
    kind: str,
    happened_on: date,
    unit: Unit,
    audience: int,
    officer_ids: Iterable[int] = (),
    topic: str = "",
    place: str = "",
    settlement: Settlement | None = None,
    notes: str = "",
) -> OutreachActivity:
    """Record an outreach activity at a sector or station where the actor may
    log. Bad input changes nothing."""
    policy.require(actor, "log", unit.path)
    fields = _clean(
        kind=kind,
        topic=topic,
        happened_on=happened_on,
        unit=unit,
        audience=audience,
        place=place,
        settlement=settlement,
        notes=notes,
    )
    officers = _check_officers(actor, unit, officer_ids)
    activity = OutreachActivity.objects.create(**fields, created_by_id=actor.user_id)
    activity.officers.set(officers)
    return activity


def _require_change(actor: Actor, activity: OutreachActivity) -> None:
    if policy.can(actor, "manage", activity.unit_path):
        return
    policy.require(actor, "log", activity.unit_path)
    if not selectors.is_own(actor, activity):
        raise NotYourEntry()
    if not selectors.within_edit_window(activity):
        raise EditWindowClosed()


@transaction.atomic
def update_activity(
    actor: Actor,
    *,
    activity: OutreachActivity,
    kind: str,
    happened_on: date,
    unit: Unit,
    audience: int,
    officer_ids: Iterable[int] = (),
    topic: str = "",
    place: str = "",
    settlement: Settlement | None = None,
    notes: str = "",
) -> OutreachActivity:
    """Change an entry: its author within 7 days of logging it, a station
    lead role at its place at any time. A new place must be one the actor
    may log at too."""
    _require_change(actor, activity)
    activity = OutreachActivity.objects.select_for_update().get(pk=activity.pk)
    if unit.pk != activity.unit_id and not policy.can(actor, "manage", unit.path):
        policy.require(actor, "log", unit.path)
    fields = _clean(
        kind=kind,
        topic=topic,
        happened_on=happened_on,
        unit=unit,
        audience=audience,
        place=place,
        settlement=settlement,
        notes=notes,
    )
    already = set(activity.officers.values_list("pk", flat=True))
    officers = _check_officers(actor, unit, officer_ids, already=already)
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.updated_by_id = actor.user_id
    activity.save()
    activity.officers.set(officers)
    return activity


@transaction.atomic
def delete_activity(actor: Actor, *, activity: OutreachActivity) -> None:
    """Delete an entry: its author within 7 days, a station lead role at any time."""
    _require_change(actor, activity)
    OutreachActivity.objects.filter(pk=activity.pk).delete()
