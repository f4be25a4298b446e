"""A forum's members and their terms [2.4.11]."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from cpis.core.contact import clean_email, clean_phone
from cpis.core.errors import InvalidInput
from cpis.core.text import check_choice, clean_text
from cpis.organisation.access import Actor

from ..models import (
    AgeBand,
    Community,
    Forum,
    ForumMember,
    Gender,
    MemberRole,
)
from ..policy import policy
from .checks import past_date


@dataclass(frozen=True)
class MemberInput:
    name: str
    role: str
    community: str
    gender: str
    term_start: date
    age_band: str = ""
    skills: str = ""
    consent_to_contact: bool = False
    term_end: date | None = None
    is_leader: bool = False
    # None leaves the stored contact as it is (for those who may not see it).
    phone: str | None = None
    email: str | None = None


def _check_member(data: MemberInput) -> dict[str, object]:
    if data.term_end is not None and data.term_end < data.term_start:
        raise InvalidInput(_("A term cannot end before it starts."))
    values: dict[str, object] = {
        "name": clean_text(data.name, limit=200, required=True, missing=_("Give the member's name.")),
        "role": check_choice(data.role, MemberRole.values, _("Choose the member's role in the forum.")),
        "community": check_choice(data.community, Community.values, _("Choose the member's community.")),
        "gender": check_choice(data.gender, Gender.values, _("Choose the member's gender.")),
        "age_band": check_choice(data.age_band, ["", *AgeBand.values], _("Choose an age band.")),
        "skills": clean_text(data.skills, limit=2000, required=False),
        "consent_to_contact": data.consent_to_contact,
        "term_start": past_date(
            data.term_start, _("The start of the term must lie between %(earliest)s and today.")
        ),
        "term_end": data.term_end,
        "is_leader": data.is_leader,
    }
    if data.phone is not None:
        values["phone"] = clean_phone(data.phone)
    if data.email is not None:
        values["email"] = clean_email(data.email)
    return values


def _may_write_contact(actor: Actor, path: str, data: MemberInput) -> None:
    if (data.phone is not None or data.email is not None) and not policy.can(actor, "view_contact", path):
        raise InvalidInput(_("Your role does not allow you to enter contact details."))


@transaction.atomic
def add_member(actor: Actor, *, forum: Forum, data: MemberInput) -> ForumMember:
    """Add a member to the forum database [2.4.11]; contacts only by roles
    that may see them."""
    policy.require(actor, "manage", forum.unit_path)
    _may_write_contact(actor, forum.unit_path, data)
    return ForumMember.objects.create(forum=forum, **_check_member(data))


@transaction.atomic
def update_member(actor: Actor, *, member: ForumMember, data: MemberInput) -> ForumMember:
    """Change a member's record; ending the term records that they left."""
    policy.require(actor, "manage", member.forum.unit_path)
    _may_write_contact(actor, member.forum.unit_path, data)
    values = _check_member(data)
    member = ForumMember.objects.select_for_update().get(pk=member.pk)
    for name, value in values.items():
        setattr(member, name, value)
    member.save()
    return member
