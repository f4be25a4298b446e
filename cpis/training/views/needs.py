"""Training needs: the list (filtered by status) with the form to record
one, and the change of a need's status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.forms import form_page, submit
from cpis.organisation.access import Actor, ActorRequest, staff_required

if TYPE_CHECKING:
    from cpis.organisation.models import Unit

from .. import selectors, services
from ..forms import NeedForm, NeedStatusForm
from ..models import NeedStatus, TrainingNeed
from ..policy import policy


def _record_need(actor: Actor, units: list[Unit], data: dict[str, Any]) -> TrainingNeed:
    unit = next((u for u in units if u.pk == data["unit"]), None)
    if unit is None:
        raise services.InvalidInput(_("Choose a unit from the list."))
    return services.record_need(
        actor, unit=unit, description=data["description"], identified_on=data["identified_on"]
    )


@staff_required
def needs(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    units = list(selectors.list_need_units(actor))
    if request.method == "POST":
        policy.require_anywhere(actor, "view")
        if not units:
            raise PermissionDenied(_("You may not do this here."))
    status = request.GET.get("status", "")
    rows = [
        (need, selectors.can_manage_need(actor, need))
        for need in selectors.list_needs(actor, status=status)[:300]
    ]
    return form_page(
        request,
        NeedForm(request.POST or None, units=units, initial={"identified_on": timezone.localdate()}),
        lambda data: _record_need(actor, units, data),
        success=_("Training need recorded."),
        then="training:needs",
        template="training/needs.html",
        context={
            "rows": rows,
            "can_record": bool(units),
            "status": status,
            "statuses": NeedStatus.choices,
            "status_form": NeedStatusForm(programmes=selectors.list_programmes(actor)),
        },
    )


@staff_required
@require_POST
def need_status(request: ActorRequest, need_id: int) -> HttpResponse:
    actor = request.actor
    need = selectors.get_need(actor, need_id)
    programmes = selectors.list_programmes(actor)
    form = NeedStatusForm(request.POST, programmes=programmes)
    saved = submit(
        form,
        lambda data: services.set_need_status(
            actor,
            need=need,
            status=data["status"],
            programme=programmes.filter(pk=data["programme"]).first() if data["programme"] else None,
        ),
    )
    if saved is None:
        # A broken rule is the form's own error; a form that did not validate lacks a status.
        errors = form.non_field_errors()
        messages.error(request, str(errors[0]) if errors else _("Choose a status."))
    else:
        messages.success(request, _("Status saved."))
    return redirect("training:needs")
