"""What forums hold about a person: a member's name, phone, e-mail and
skills (core.subjects). Erasure anonymises the member: their community,
gender, age band, term and attendance stay, because the forum's make-up and
its meetings are counted in the strategy's indicators, and nothing in them
names the person any more."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.subjects import Hit, Kind, NoLongerHeld, Terms, erased_name, fields, matching, whole_id

from .models import ForumMember

SUBJECT = "forums.forummember"


def _hit(member: ForumMember, matched: tuple[str, ...] = ()) -> Hit:
    term = date_format(member.term_start, "SHORT_DATE_FORMAT")
    if member.term_end:
        term = f"{term} – {date_format(member.term_end, 'SHORT_DATE_FORMAT')}"
    summary = _("%(role)s of %(forum)s · %(term)s") % {
        "role": member.get_role_display(),
        "forum": member.forum.name,
        "term": term,
    }
    return Hit(str(member.pk), summary, member.forum.unit.name, matched)


def _members(ids: Sequence[object]) -> list[ForumMember]:
    members = ForumMember.objects.filter(pk__in=list(ids)).select_related("forum", "forum__unit")
    return list(members.order_by("-term_start", "-pk"))


def find(terms: Terms) -> list[Hit]:
    found = matching(ForumMember.objects.all(), terms, name="name", email="email", phone="phone")
    return [_hit(member, found[member.pk]) for member in _members(list(found))]


def describe(ids: Sequence[str]) -> dict[str, Hit]:
    numbers = [int(i) for i in ids if i.isascii() and i.isdecimal()]
    return {hit.id: hit for hit in map(_hit, _members(numbers))}


def export(subject_id: str) -> dict[str, Any]:
    member = (
        ForumMember.objects.select_related("forum", "forum__unit").filter(pk=whole_id(subject_id)).first()
    )
    if member is None:
        raise NoLongerHeld
    meetings = member.meetings_attended.select_related("forum").order_by("starts_at")
    return {
        _("Member"): fields(
            member,
            [
                "name",
                "phone",
                "email",
                "consent_to_contact",
                "community",
                "gender",
                "age_band",
                "skills",
                "forum",
                "role",
                "is_leader",
                "term_start",
                "term_end",
            ],
        ),
        _("Meetings attended"): [
            {
                str(_("forum")): meeting.forum.name,
                str(_("starts at")): meeting.starts_at,
                str(_("place")): meeting.place,
            }
            for meeting in meetings
        ],
        _("Trainer engagements"): [
            fields(engagement, ["on", "initiative", "audience"])
            for engagement in member.trainer_engagements.order_by("on", "id")
        ],
    }


@transaction.atomic
def erase(subject_id: str, *, legal_reason: str, by_user_id: int, request_reference: str) -> str:
    """Anonymise a member: the name becomes the request's reference; phone,
    e-mail and skills are removed, and the consent to be contacted with them."""
    member = ForumMember.objects.select_for_update().filter(pk=whole_id(subject_id)).first()
    if member is None:
        raise NoLongerHeld
    ForumMember.objects.filter(pk=member.pk).update(
        name=erased_name(request_reference),
        phone="",
        email="",
        skills="",
        consent_to_contact=False,
        updated_at=timezone.now(),
    )
    return _(
        "The member's name, phone, e-mail and skills were removed; the membership stays, without them, "
        "for the forum's figures."
    )


KINDS = [
    Kind(
        subject_type=SUBJECT,
        label=gettext_lazy("Forum member"),
        erasure=gettext_lazy(
            "Replaces the member's name by the request's reference and removes phone, e-mail and skills; "
            "the membership stays for the forum's figures."
        ),
        find=find,
        describe=describe,
        export=export,
        erase=erase,
    )
]
