"""Volunteers [2.2.2]: the list with the hours each gave, enrolling and
editing one (the contact shown only to roles that need it, and logged), and
a volunteer's page with the form to record hours."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cpis.core.forms import paginate
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import HoursForm, VolunteerFilterForm, VolunteerForm
from ..models import Volunteer
from ..policy import policy
from .common import RecordKind, chosen_id, list_page, manage_units


def volunteer_url(volunteer: Volunteer) -> str:
    return reverse("partners:volunteer", args=[volunteer.pk])


@staff_required
def volunteer_list(request: ActorRequest) -> HttpResponse:
    """Volunteers [2.2.2] with the hours they gave in all."""
    form = VolunteerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.VolunteerFilters(
        group=chosen_id(request, "group"), active=data.get("active", ""), query=data.get("q", "")
    )
    volunteers = selectors.list_volunteers(request.actor, filters)
    return list_page(request, "partners/volunteer_list.html", form, paginate(request, volunteers))


VOLUNTEERS = RecordKind(
    form=VolunteerForm,
    choices=lambda actor: {"units": manage_units(actor), "groups": selectors.list_group_choices(actor)},
    data=services.VolunteerData,
    list_name="partners:volunteers",
    url=volunteer_url,
)


@staff_required
def volunteer_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    initial: dict[str, Any] = {}
    group_id = chosen_id(request, "group")
    if group_id is not None:
        group = selectors.list_group_choices(actor).filter(pk=group_id).first()
        if group is not None:
            initial = {"group": group, "unit": group.unit}
    return VOLUNTEERS.create(
        request,
        lambda actor, data: services.enrol_volunteer(actor, data=VOLUNTEERS.input(data)),
        success=_("The volunteer has been enrolled."),
        title=_("Enrol a volunteer"),
        intro=_(
            "The phone or e-mail is personal data: only roles that need it see it, and each view is logged."
        ),
        initial=initial,
    )


@staff_required
def volunteer_edit(request: ActorRequest, volunteer_id: int) -> HttpResponse:
    """The contact is read into the form (and the reading logged) only when
    the form is first shown, after the check that the actor manages here."""
    actor = request.actor
    volunteer = selectors.get_volunteer(actor, volunteer_id)
    policy.require(actor, "manage", volunteer.unit_path)
    initial: dict[str, Any] = {
        "name": volunteer.name,
        "unit": volunteer.unit,
        "group": volunteer.group,
        "joined_on": volunteer.joined_on,
        "left_on": volunteer.left_on,
    }
    if request.method != "POST":
        initial["contact"] = selectors.get_volunteer_contact(actor, volunteer, request=request)
    return VOLUNTEERS.edit(
        request,
        volunteer,
        lambda actor, data: services.update_volunteer(
            actor, volunteer=volunteer, data=VOLUNTEERS.input(data)
        ),
        success=_("The volunteer has been saved."),
        title=_("Edit %(name)s") % {"name": volunteer.name},
        initial=initial,
    )


def volunteer_page(
    request: ActorRequest, volunteer: Volunteer, form: HoursForm | None = None, status: int = 200
) -> HttpResponse:
    """A volunteer's page; `form` is a refused hours form to show again."""
    actor = request.actor
    can_view_contact = selectors.can_view_contacts(actor, volunteer.unit_path)
    can_manage = policy.can(actor, "manage", volunteer.unit_path)
    context = {
        "volunteer": volunteer,
        "can_manage": can_manage,
        "can_view_contact": can_view_contact,
        "contact": (
            selectors.get_volunteer_contact(actor, volunteer, request=request) if can_view_contact else ""
        ),
        "hours": selectors.list_hours(volunteer)[:200],
        "totals": selectors.volunteer_hours_by_period(volunteer),
        "hours_form": (form or HoursForm()) if can_manage else None,
    }
    return render(request, "partners/volunteer_detail.html", context, status=status)


@staff_required
def volunteer_detail(request: ActorRequest, volunteer_id: int) -> HttpResponse:
    return volunteer_page(request, selectors.get_volunteer(request.actor, volunteer_id))
