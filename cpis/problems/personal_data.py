"""What problem solving holds about a person (core.subjects): an entry in the
register of vulnerable persons and groups [3.1.3], and a citizen on a
problem's team [3.1.2].

An entry is deleted on erasure when it was kept with the person's consent, or
when its review date has passed; before then it is kept to protect the person
under the police law, and the officer is told so and offered restriction
instead. A citizen on a team is anonymised: their place on the team stays,
since citizens' part in problem solving is counted in the indicators, and
nothing in it names them any more."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.subjects import (
    ErasureRefused,
    Hit,
    Kind,
    NoLongerHeld,
    Terms,
    erased_name,
    fields,
    matching,
    whole_id,
)
from cpis.organisation.access import Actor

from .models import LegalBasis, MemberKind, TeamMember, VulnerableEntry
from .selectors import vulnerable, workspace
from .services.history import record

VULNERABLE_SUBJECT = vulnerable.SUBJECT
MEMBER_SUBJECT = workspace.CITIZEN_SUBJECT


def _numbers(ids: Sequence[str]) -> list[int]:
    return [int(i) for i in ids if i.isascii() and i.isdecimal()]


def _short(day: Any) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# --- the register of vulnerable persons -------------------------------------


class EntryKeptForProtection(ErasureRefused):
    """The entry protects the person and its review date has not come."""


def _entry_hit(entry: VulnerableEntry, matched: tuple[str, ...] = ()) -> Hit:
    # Not the kind of vulnerability: that is itself special category data about the person.
    summary = _("Entry %(number)s in the register of vulnerable persons · identified %(date)s") % {
        "number": entry.pk,
        "date": _short(entry.identified_on),
    }
    return Hit(str(entry.pk), summary, entry.unit.name, matched)


def _entries(ids: Sequence[object]) -> list[VulnerableEntry]:
    entries = VulnerableEntry.objects.filter(pk__in=list(ids)).select_related("unit")
    return list(entries.defer("name", "details").order_by("-identified_on", "-pk"))


def find_entries(terms: Terms) -> list[Hit]:
    # Groups too: a group's name may hold the person's (a family, a household).
    found = matching(VulnerableEntry.objects.all(), terms, name="name")
    return [_entry_hit(entry, found[entry.pk]) for entry in _entries(list(found))]


def describe_entries(ids: Sequence[str]) -> dict[str, Hit]:
    return {hit.id: hit for hit in map(_entry_hit, _entries(_numbers(ids)))}


def export_entry(subject_id: str) -> dict[str, Any]:
    entry = VulnerableEntry.objects.select_related("unit", "officer").filter(pk=whole_id(subject_id)).first()
    if entry is None:
        raise NoLongerHeld
    return {
        _("Vulnerable person or group"): fields(
            entry,
            [
                "kind",
                "name",
                "vulnerability",
                "details",
                "unit",
                "officer",
                "legal_basis",
                "identified_on",
                "review_on",
                "reviewed_on",
                "created_at",
            ],
        )
    }


@transaction.atomic
def erase_entry(subject_id: str, *, legal_reason: str, by_user_id: int, request_reference: str) -> str:
    """Delete the entry when it was kept with the person's consent (withdrawn
    by asking) or its review date has passed; EntryKeptForProtection before."""
    entry = VulnerableEntry.objects.select_for_update().filter(pk=whole_id(subject_id)).first()
    if entry is None:
        raise NoLongerHeld
    if entry.legal_basis != LegalBasis.CONSENT and entry.review_on >= timezone.localdate():
        raise EntryKeptForProtection(
            _(
                "The entry is kept to protect the person (%(basis)s) until its review on %(date)s "
                "(LED Arts. 8 and 16(3)): restrict its processing instead, or ask its officer to review it "
                "now; unless it is reviewed, it is erased once that date has passed."
            )
            % {"basis": entry.get_legal_basis_display(), "date": _short(entry.review_on)}
        )
    entry.delete()
    return _("The entry in the register of vulnerable persons was deleted.")


# --- citizens on a problem's team ---------------------------------------------


def _member_hit(member: TeamMember, matched: tuple[str, ...] = ()) -> Hit:
    summary = _("Citizen on the team of problem %(number)s · consent given %(date)s") % {
        "number": member.problem_id,
        "date": _short(member.consent_on),
    }
    return Hit(str(member.pk), summary, member.problem.unit.name, matched)


def _citizens() -> Any:
    return TeamMember.objects.filter(kind=MemberKind.CITIZEN)


def _members(ids: Sequence[object]) -> list[TeamMember]:
    members = _citizens().filter(pk__in=list(ids)).select_related("problem", "problem__unit")
    return list(members.order_by("-consent_on", "-pk"))


def find_members(terms: Terms) -> list[Hit]:
    found = matching(_citizens(), terms, name="citizen_name", contact="citizen_contact")
    return [_member_hit(member, found[member.pk]) for member in _members(list(found))]


def describe_members(ids: Sequence[str]) -> dict[str, Hit]:
    return {hit.id: hit for hit in map(_member_hit, _members(_numbers(ids)))}


def export_member(subject_id: str) -> dict[str, Any]:
    member = _citizens().select_related("problem").filter(pk=whole_id(subject_id)).first()
    if member is None:
        raise NoLongerHeld
    return {
        _("Citizen on a problem's team"): fields(
            member, ["citizen_name", "citizen_contact", "consent_on", "role", "problem", "created_at"]
        )
    }


@transaction.atomic
def erase_member(subject_id: str, *, legal_reason: str, by_user_id: int, request_reference: str) -> str:
    """Anonymise the citizen: the name becomes the request's reference, the
    contact is removed; the problem's history says so."""
    member = _citizens().select_for_update().filter(pk=whole_id(subject_id)).first()
    if member is None:
        raise NoLongerHeld
    TeamMember.objects.filter(pk=member.pk).update(
        citizen_name=erased_name(request_reference), citizen_contact="", updated_at=timezone.now()
    )
    record(member.problem, Actor(user_id=by_user_id), "citizen_erased", note=request_reference)
    return _(
        "The citizen's name and contact were removed; their place on the team stays, for the indicators."
    )


KINDS = [
    Kind(
        subject_type=VULNERABLE_SUBJECT,
        label=gettext_lazy("Vulnerable person or group"),
        erasure=gettext_lazy(
            "Deletes the entry when it was kept with the person's consent or its review date has passed; "
            "refused before then, while it protects the person."
        ),
        find=find_entries,
        describe=describe_entries,
        export=export_entry,
        erase=erase_entry,
    ),
    Kind(
        subject_type=MEMBER_SUBJECT,
        label=gettext_lazy("Citizen on a problem's team"),
        erasure=gettext_lazy(
            "Replaces the citizen's name by the request's reference and removes the contact; "
            "their place on the team stays for the indicators."
        ),
        find=find_members,
        describe=describe_members,
        export=export_member,
        erase=erase_member,
    ),
]
