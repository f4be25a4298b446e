"""Interest groups [2.2.1]: neighbourhood watch, school safety patrols,
conciliation councils. The list, registering and editing one, its page."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.views import on_record, record_url
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import GroupFilterForm, GroupForm
from ..models import InterestGroup
from ..policy import policy
from .common import RecordKind, list_view

GROUPS = RecordKind[InterestGroup](
    form=GroupForm,
    create=services.register_group,
    update=lambda actor, group, **data: services.update_group(actor, group=group, **data),
    get=selectors.get_group,
    list_name="partners:groups",
    url=record_url("partners:group"),
    created=gettext_lazy("The interest group has been registered."),
    saved=gettext_lazy("The interest group has been saved."),
    new_title=gettext_lazy("Register an interest group"),
    edit_title=lambda group: _("Edit %(name)s") % {"name": group.name},
)

group_list = list_view("partners/group_list.html", GroupFilterForm, selectors.list_groups)
group_create = GROUPS.create_view()
group_edit = GROUPS.edit_view()


@staff_required
@on_record(selectors.get_group)
def group_detail(request: ActorRequest, group: InterestGroup) -> HttpResponse:
    actor = request.actor
    context = {
        "group": group,
        "can_manage": policy.can(actor, "manage", group.unit_path),
        "volunteers": selectors.list_group_volunteers(actor, group),
        "totals": selectors.group_hours_by_period(group),
    }
    return render(request, "partners/group_detail.html", context)
