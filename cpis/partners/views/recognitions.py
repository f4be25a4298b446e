"""Recognitions of special contributions [2.2.3]: the list, recording and
editing one."""

from typing import Any

from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from cpis.core.forms import as_input, paginate
from cpis.organisation.access import Actor, ActorRequest, staff_required

from .. import selectors, services
from ..forms import RecognitionFilterForm, RecognitionForm
from ..policy import policy
from .common import edit_page, list_page, manage_units


@staff_required
def recognition_list(request: ActorRequest) -> HttpResponse:
    """Recognitions of special contributions [2.2.3]."""
    actor = request.actor
    form = RecognitionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.RecognitionFilters(
        recipient_kind=data.get("recipient_kind", ""),
        published=data.get("published", ""),
        query=data.get("q", ""),
    )
    page = paginate(request, selectors.list_recognitions(actor, filters))
    manageable = {r.pk for r in page if policy.can(actor, "manage", r.unit_path)}
    return list_page(request, "partners/recognition_list.html", form, page, manageable=manageable)


def _recognition_form(request: ActorRequest, actor: Actor, initial: dict[str, Any]) -> RecognitionForm:
    return RecognitionForm(
        request.POST or None,
        initial=initial,
        units=manage_units(actor),
        partners=selectors.list_partner_choices(actor),
    )


@staff_required
def recognition_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return edit_page(
        request,
        _recognition_form(request, actor, {}),
        lambda data: services.award_recognition(actor, data=as_input(services.RecognitionData, data)),
        success=_("The recognition has been recorded."),
        then="partners:recognitions",
        title=_("Record a recognition"),
        cancel=reverse("partners:recognitions"),
    )


@staff_required
def recognition_edit(request: ActorRequest, recognition_id: int) -> HttpResponse:
    actor = request.actor
    recognition = selectors.get_recognition(actor, recognition_id)
    policy.require(actor, "manage", recognition.unit_path)
    initial = model_to_dict(recognition, fields=list(RecognitionForm.base_fields))
    return edit_page(
        request,
        _recognition_form(request, actor, initial),
        lambda data: services.update_recognition(
            actor, recognition=recognition, data=as_input(services.RecognitionData, data)
        ),
        success=_("The recognition has been saved."),
        then="partners:recognitions",
        title=_("Edit the recognition of %(name)s") % {"name": recognition.recipient_name},
        cancel=reverse("partners:recognitions"),
    )
