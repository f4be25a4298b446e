"""A forum's members: adding one and editing one. The phone and e-mail are
on the form only for roles that may see them; opening them is logged."""

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.views import on_record
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import MemberForm
from ..models import Forum, ForumMember
from .common import forum_form, manage, manage_its_forum

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


def _member_form(
    request: ActorRequest, forum: Forum, member: ForumMember | None, save: Callable[..., ForumMember]
) -> HttpResponse:
    """The form to add (`member` None) or edit a member of `forum`; the phone
    and e-mail fields only for roles that may see them, and the contact is
    read into the edit form (the reading logged) only when it is first shown."""
    actor = request.actor
    with_contact = selectors.can_view_contacts(actor, forum)
    initial: dict[str, Any] = {"term_start": timezone.localdate()}
    if member is not None:
        initial = {name: getattr(member, name) for name in EDITABLE}
        if with_contact and request.method != "POST":
            contact = selectors.get_member_contact(actor, member, request=request)
            initial.update(phone=contact.phone, email=contact.email)
    form = MemberForm(request.POST or None, with_contact=with_contact, initial=initial)
    return forum_form(
        request,
        forum,
        form,
        lambda data: save(actor, **form.service_input()),
        success=_("The member's record has been saved.") if member else _("The member has been added."),
        template="forums/member_form.html",
        member=member,
        with_contact=with_contact,
    )


@staff_required
@on_record(selectors.get_forum, "forum_id", check=manage)
def member_create(request: ActorRequest, forum: Forum) -> HttpResponse:
    return _member_form(
        request, forum, None, lambda actor, **data: services.add_member(actor, forum=forum, **data)
    )


@staff_required
@on_record(selectors.get_member, "member_id", check=manage_its_forum)
def member_edit(request: ActorRequest, member: ForumMember) -> HttpResponse:
    """Edit a member; the form holds the contact only for roles that may see it."""
    return _member_form(
        request,
        member.forum,
        member,
        lambda actor, **data: services.update_member(actor, member=member, **data),
    )
