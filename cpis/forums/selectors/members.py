"""A forum's members, current and former; their contacts only through the
logged readers, and only for roles that may see them."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, When
from django.http import HttpRequest
from django.utils import timezone

from cpis.accounts.audit import log_personal_data_access, log_personal_data_reads
from cpis.core.http import one_or_404
from cpis.organisation.access import Actor

from ..models import Forum, ForumMember, MemberRole
from ..policy import policy
from .forums import visible_forums

MEMBER_SUBJECT = "forums.forummember"


@dataclass
class Members:
    current: list[ForumMember]
    former: list[ForumMember]


ROLE_ORDER = Case(
    When(role=MemberRole.CHAIR, then=0),
    When(role=MemberRole.DEPUTY_CHAIR, then=1),
    When(role=MemberRole.SECRETARY, then=2),
    default=3,
)


def list_members(forum: Forum, *, today: date | None = None) -> Members:
    """Current and former members, without their contact details."""
    today = today or timezone.localdate()
    members = list(
        forum.members.defer("phone", "email").annotate(role_order=ROLE_ORDER).order_by("role_order", "name")
    )
    return Members(
        current=[m for m in members if m.is_current(today)],
        former=sorted((m for m in members if not m.is_current(today)), key=lambda m: m.term_end or today),
    )


def can_view_contacts(actor: Actor, forum: Forum) -> bool:
    return policy.can(actor, "view_contact", forum.unit_path)


@dataclass(frozen=True)
class Contact:
    phone: str
    email: str
    consent: bool


def get_member_contacts(actor: Actor, forum: Forum, *, request: HttpRequest | None) -> dict[int, Contact]:
    """Every member's phone and e-mail, for roles that need them [2.4.11];
    one access-log row per member shown (a member whose processing is
    restricted is left out)."""
    policy.require(actor, "view_contact", forum.unit_path)
    members = list(forum.members.only("pk", "forum", "phone", "email", "consent_to_contact").order_by("pk"))
    shown = log_personal_data_reads(
        user_id=actor.user_id,
        subject_type=MEMBER_SUBJECT,
        subject_ids=[m.pk for m in members],
        request=request,
    )
    return {m.pk: Contact(m.phone, m.email, m.consent_to_contact) for m in members if str(m.pk) in shown}


def get_member(actor: Actor, member_id: int) -> ForumMember:
    return one_or_404(
        ForumMember.objects.filter(forum__in=visible_forums(actor)).select_related("forum", "forum__unit"),
        pk=member_id,
    )


def get_member_contact(actor: Actor, member: ForumMember, *, request: HttpRequest | None) -> Contact:
    """One member's phone and e-mail; the view is logged."""
    policy.require(actor, "view_contact", member.forum.unit_path)
    log_personal_data_access(
        user_id=actor.user_id, subject_type=MEMBER_SUBJECT, subject_id=member.pk, request=request
    )
    return Contact(member.phone, member.email, member.consent_to_contact)
