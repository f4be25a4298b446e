"""Interest groups [2.2.1]: neighbourhood watch, school safety patrols,
conciliation councils. The list, registering and editing one, its page."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cpis.core.forms import paginate
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import GroupFilterForm, GroupForm
from ..models import InterestGroup
from ..policy import policy
from .common import RecordKind, list_page, manage_units


def group_url(group: InterestGroup) -> str:
    return reverse("partners:group", args=[group.pk])


@staff_required
def group_list(request: ActorRequest) -> HttpResponse:
    """Interest groups [2.2.1]: neighbourhood watch, school safety patrols, conciliation councils."""
    form = GroupFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.GroupFilters(
        kind=data.get("kind", ""), active=data.get("active", ""), query=data.get("q", "")
    )
    groups = selectors.list_groups(request.actor, filters)
    return list_page(request, "partners/group_list.html", form, paginate(request, groups))


GROUPS = RecordKind(
    form=GroupForm,
    choices=lambda actor: {"units": manage_units(actor)},
    data=services.GroupData,
    list_name="partners:groups",
    url=group_url,
)


@staff_required
def group_create(request: ActorRequest) -> HttpResponse:
    return GROUPS.create(
        request,
        lambda actor, data: services.register_group(actor, data=GROUPS.input(data)),
        success=_("The interest group has been registered."),
        title=_("Register an interest group"),
    )


@staff_required
def group_edit(request: ActorRequest, group_id: int) -> HttpResponse:
    group = selectors.get_group(request.actor, group_id)
    return GROUPS.edit(
        request,
        group,
        lambda actor, data: services.update_group(actor, group=group, data=GROUPS.input(data)),
        success=_("The interest group has been saved."),
        title=_("Edit %(name)s") % {"name": group.name},
    )


@staff_required
def group_detail(request: ActorRequest, group_id: int) -> HttpResponse:
    actor = request.actor
    group = selectors.get_group(actor, group_id)
    context = {
        "group": group,
        "can_manage": policy.can(actor, "manage", group.unit_path),
        "volunteers": selectors.list_group_volunteers(actor, group),
        "totals": selectors.group_hours_by_period(group),
    }
    return render(request, "partners/group_detail.html", context)
