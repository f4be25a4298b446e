"""A forum's members: adding one and editing one. The phone and e-mail are
on the form only for roles that may see them; opening them is logged."""

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.forms import as_input, form_page
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import MemberForm
from ..models import Forum, ForumMember
from ..policy import policy
from .common import forum_url, managed_forum

EDITABLE = (
    "name",
    "role",
    "community",
    "gender",
    "age_band",
    "skills",
    "consent_to_contact",
    "term_start",
    "term_end",
    "is_leader",
)


def _member_page(
    request: ActorRequest,
    forum: Forum,
    member: ForumMember | None,
    initial: dict[str, Any],
    save: Callable[[services.MemberInput], ForumMember],
    success: str,
) -> HttpResponse:
    """The form to add (`member` None) or edit a member of `forum`; the phone
    and e-mail fields only for roles that may see them."""
    with_contact = selectors.can_view_contacts(request.actor, forum)
    return form_page(
        request,
        MemberForm(request.POST or None, with_contact=with_contact, initial=initial),
        lambda data: save(as_input(services.MemberInput, data)),
        success=success,
        then=lambda saved: forum_url(forum),
        template="forums/member_form.html",
        context={"forum": forum, "member": member, "with_contact": with_contact},
    )


@staff_required
def member_create(request: ActorRequest, forum_id: int) -> HttpResponse:
    actor = request.actor
    forum = managed_forum(actor, forum_id)
    return _member_page(
        request,
        forum,
        None,
        {"term_start": timezone.localdate()},
        lambda data: services.add_member(actor, forum=forum, data=data),
        _("The member has been added."),
    )


@staff_required
def member_edit(request: ActorRequest, member_id: int) -> HttpResponse:
    """Edit a member; the form holds the contact only for roles that may
    see it, and opening it with the contact is logged."""
    actor = request.actor
    member = selectors.get_member(actor, member_id)
    forum = member.forum
    policy.require(actor, "manage", forum.unit_path)
    initial: dict[str, Any] = {name: getattr(member, name) for name in EDITABLE}
    if selectors.can_view_contacts(actor, forum) and request.method != "POST":
        contact = selectors.get_member_contact(actor, member, request=request)
        initial.update(phone=contact.phone, email=contact.email)
    return _member_page(
        request,
        forum,
        member,
        initial,
        lambda data: services.update_member(actor, member=member, data=data),
        _("The member's record has been saved."),
    )
