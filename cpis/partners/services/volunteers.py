"""Interest groups, volunteers and the hours they give."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import check_choice, clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from ..models import (
    MAX_HOURS_PER_DAY,
    InterestGroup,
    InterestGroupKind,
    Volunteer,
    VolunteerHours,
)
from ..policy import policy
from .checks import check_past, clean_name, require_move, save_at


class DayOverfull(DomainError):
    message = gettext_lazy("With these hours the volunteer would have more than 24 hours on that day.")


class HoursOutsideService(DomainError):
    message = gettext_lazy("The date must fall between the day the volunteer joined and the day they left.")


class HoursOutOfRange(DomainError):
    message = gettext_lazy("Enter more than 0 and at most 24 hours, with at most two decimals.")


class LeftBeforeJoining(DomainError):
    message = gettext_lazy("A volunteer cannot leave before joining.")


class GroupNotOnVolunteersBranch(DomainError):
    message = gettext_lazy(
        "The interest group must be held by the volunteer's unit, a unit above it or a unit below it."
    )


@dataclass(frozen=True)
class GroupData:
    kind: str
    name: str
    unit: Unit
    founded_on: date
    is_active: bool = True
    description: str = ""


def _save_group(group: InterestGroup, data: GroupData) -> InterestGroup:
    check_choice(data.kind, InterestGroupKind.values, _("Choose the kind of group."))
    group.kind = data.kind
    group.name = clean_name(data.name)
    group.founded_on = check_past(data.founded_on) or timezone.localdate()
    group.is_active = data.is_active
    group.description = clean_text(data.description, limit=4000, required=False)
    return save_at(group, data.unit)


@transaction.atomic
def register_group(actor: Actor, *, data: GroupData) -> InterestGroup:
    """An interest group engaged with the police [2.2.1]."""
    policy.require(actor, "manage", data.unit.path)
    return _save_group(InterestGroup(), data)


@transaction.atomic
def update_group(actor: Actor, *, group: InterestGroup, data: GroupData) -> InterestGroup:
    require_move(actor, group.unit_path, data.unit)
    return _save_group(group, data)


@dataclass(frozen=True)
class VolunteerData:
    name: str
    unit: Unit
    joined_on: date
    contact: str = ""
    group: InterestGroup | None = None
    left_on: date | None = None


def _save_volunteer(volunteer: Volunteer, data: VolunteerData) -> Volunteer:
    if data.group is not None and not (
        data.unit.path.startswith(data.group.unit_path) or data.group.unit_path.startswith(data.unit.path)
    ):
        raise GroupNotOnVolunteersBranch()
    check_past(data.joined_on)
    if data.left_on is not None and data.left_on < data.joined_on:
        raise LeftBeforeJoining()
    volunteer.name = clean_name(data.name)
    volunteer.contact = clean_text(data.contact, limit=200, required=False)
    volunteer.group = data.group
    volunteer.joined_on = data.joined_on
    volunteer.left_on = data.left_on
    return save_at(volunteer, data.unit)


@transaction.atomic
def enrol_volunteer(actor: Actor, *, data: VolunteerData) -> Volunteer:
    """A citizen who volunteers with a unit [2.2.2]; the contact is personal data."""
    policy.require(actor, "manage", data.unit.path)
    if data.group is not None:
        policy.require(actor, "view", data.group.unit_path)
    return _save_volunteer(Volunteer(), data)


@transaction.atomic
def update_volunteer(actor: Actor, *, volunteer: Volunteer, data: VolunteerData) -> Volunteer:
    require_move(actor, volunteer.unit_path, data.unit)
    if data.group is not None and data.group.pk != volunteer.group_id:
        policy.require(actor, "view", data.group.unit_path)
    if volunteer.hours.exclude(date__gte=data.joined_on).exists() or (
        data.left_on is not None and volunteer.hours.filter(date__gt=data.left_on).exists()
    ):
        raise InvalidInput(_("Hours are recorded outside these dates; correct them first."))
    return _save_volunteer(volunteer, data)


def _hours(value: Decimal | str) -> Decimal:
    try:
        hours = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise HoursOutOfRange() from None
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS_PER_DAY or hours != round(hours, 2):
        raise HoursOutOfRange()
    return hours


@transaction.atomic
def record_hours(
    actor: Actor, *, volunteer: Volunteer, day: date, hours: Decimal | str, activity: str
) -> VolunteerHours:
    """Hours a volunteer gave on a day: more than 0, at most 24 on any one
    day in all, between joining and leaving, never in the future."""
    policy.require(actor, "manage", volunteer.unit_path)
    amount = _hours(hours)
    check_past(day)
    if day < volunteer.joined_on or (volunteer.left_on is not None and day > volunteer.left_on):
        raise HoursOutsideService()
    activity = clean_text(activity, limit=300, required=True, missing=_("Say what the volunteer did."))
    # Lock the volunteer so that two entries for one day cannot both pass the check.
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
    already = volunteer.hours.filter(date=day).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if already + amount > MAX_HOURS_PER_DAY:
        raise DayOverfull()
    return VolunteerHours.objects.create(
        volunteer=volunteer, date=day, hours=amount, activity=activity, recorded_by_id=actor.user_id
    )


@transaction.atomic
def remove_hours(actor: Actor, *, entry: VolunteerHours) -> None:
    """Correct a mistaken entry."""
    policy.require(actor, "manage", entry.volunteer.unit_path)
    entry.delete()
