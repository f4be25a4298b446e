"""A forum's members: adding one and editing one. The phone and e-mail are
on the form only for roles that may see them; opening them is logged."""

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.accounts.audit import Restricted
from cpis.organisation.access import ActorRequest

from .. import selectors, services
from ..forms import MemberForm
from ..models import Forum, ForumMember
from .common import forum_form, forum_record_views

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


def _member_form(request: ActorRequest, forum: Forum, member: ForumMember | None) -> HttpResponse:
    """The form to add (`member` None) or edit a member of `forum`; the phone
    and e-mail fields only for roles that may see them, and the contact is
    read into the edit form (the reading logged) only when it is first shown."""
    actor = request.actor
    with_contact = selectors.can_view_contacts(actor, forum)
    initial: dict[str, Any] = {"term_start": timezone.localdate()}
    if member is not None:
        initial = {name: getattr(member, name) for name in EDITABLE}
        if with_contact and request.method != "POST":
            try:
                contact = selectors.get_member_contact(actor, member, request=request)
            except Restricted:  # kept but not shown, nor editable
                with_contact = False
            else:
                initial.update(phone=contact.phone, email=contact.email)
    form = MemberForm(request.POST or None, with_contact=with_contact, initial=initial)

    def save(data: dict[str, Any]) -> ForumMember:
        if member is None:
            return services.add_member(actor, forum=forum, **form.service_input())
        return services.update_member(actor, member=member, **form.service_input())

    return forum_form(
        request,
        forum,
        form,
        save,
        success=_("The member's record has been saved.") if member else _("The member has been added."),
        template="forums/member_form.html",
        member=member,
        with_contact=with_contact,
    )


member_create, member_edit = forum_record_views(_member_form, selectors.get_member)
