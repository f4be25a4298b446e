"""Volunteers [2.2.2]: the list with the hours each gave, enrolling and
editing one (the contact shown only to roles that need it, and logged), and
a volunteer's page with the form to record hours."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.accounts.audit import Restricted
from cpis.core.views import RecordPage, record_url
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import HoursForm, VolunteerFilterForm, VolunteerForm
from ..models import Volunteer
from ..policy import policy
from .common import RecordKind, chosen_id, list_view, manage_units


def _chosen_group(request: ActorRequest) -> dict[str, Any]:
    """ "Enrol a volunteer" on a group's page starts from the group and its unit."""
    group_id = chosen_id(request, "group")
    if group_id is not None:
        group = selectors.list_group_choices(request.actor).filter(pk=group_id).first()
        if group is not None:
            return {"group": group, "unit": group.unit}
    return {}


def _edit_initial(request: ActorRequest, volunteer: Volunteer) -> dict[str, Any]:
    """The contact is read into the form (and the reading logged) only when
    the form is first shown, after the check that the actor manages here."""
    initial: dict[str, Any] = {
        "name": volunteer.name,
        "unit": volunteer.unit,
        "group": volunteer.group,
        "joined_on": volunteer.joined_on,
        "left_on": volunteer.left_on,
    }
    if request.method != "POST":
        initial["contact"] = shown_contact(request, volunteer)
    return initial


def shown_contact(request: ActorRequest, volunteer: Volunteer) -> str | None:
    """The volunteer's contact (the reading logged), or None while its
    processing is restricted."""
    try:
        return selectors.get_volunteer_contact(request.actor, volunteer, request=request)
    except Restricted:
        return None


VOLUNTEERS = RecordKind[Volunteer](
    form=VolunteerForm,
    choices=lambda actor: {"units": manage_units(actor), "group": selectors.list_group_choices(actor)},
    create=services.enrol_volunteer,
    update=lambda actor, volunteer, **data: services.update_volunteer(actor, volunteer=volunteer, **data),
    get=selectors.get_volunteer,
    list_name="partners:volunteers",
    url=record_url("partners:volunteer"),
    new_initial=_chosen_group,
    edit_initial=_edit_initial,
    created=gettext_lazy("The volunteer has been enrolled."),
    saved=gettext_lazy("The volunteer has been saved."),
    new_title=gettext_lazy("Enrol a volunteer"),
    edit_title=lambda volunteer: _("Edit %(name)s") % {"name": volunteer.name},
    intro=gettext_lazy(
        "The phone or e-mail is personal data: only roles that need it see it, and each view is logged."
    ),
)

volunteer_list = list_view(
    "partners/volunteer_list.html",
    VolunteerFilterForm,
    selectors.list_volunteers,
    filters=lambda request: {"group": chosen_id(request, "group")},
)
volunteer_create = VOLUNTEERS.create_view()
volunteer_edit = VOLUNTEERS.edit_view()


def _volunteer_context(request: ActorRequest, volunteer: Volunteer) -> dict[str, object]:
    actor = request.actor
    can_view_contact = selectors.can_view_contacts(actor, volunteer.unit_path)
    can_manage = policy.can(actor, "manage", volunteer.unit_path)
    return {
        "volunteer": volunteer,
        "can_manage": can_manage,
        "can_view_contact": can_view_contact,
        "contact": shown_contact(request, volunteer) if can_view_contact else "",
        "hours": selectors.list_hours(volunteer)[:200],
        "totals": selectors.volunteer_hours_by_period(volunteer),
        "hours_form": HoursForm() if can_manage else None,
    }


VOLUNTEER_PAGE = RecordPage[Volunteer](
    "partners:volunteer", selectors.get_volunteer, "partners/volunteer_detail.html", _volunteer_context
)

volunteer_detail = staff_required(VOLUNTEER_PAGE.view())
