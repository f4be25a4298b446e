"""Recognitions of special contributions [2.2.3]: the list, recording and
editing one."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from cpis.core.forms import paginate
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import RecognitionFilterForm, RecognitionForm
from ..policy import policy
from .common import RecordKind, list_page, manage_units


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


RECOGNITIONS = RecordKind(
    form=RecognitionForm,
    choices=lambda actor: {"units": manage_units(actor), "partners": selectors.list_partner_choices(actor)},
    data=services.RecognitionData,
    list_name="partners:recognitions",
)


@staff_required
def recognition_create(request: ActorRequest) -> HttpResponse:
    return RECOGNITIONS.create(
        request,
        lambda actor, data: services.award_recognition(actor, data=RECOGNITIONS.input(data)),
        success=_("The recognition has been recorded."),
        title=_("Record a recognition"),
    )


@staff_required
def recognition_edit(request: ActorRequest, recognition_id: int) -> HttpResponse:
    recognition = selectors.get_recognition(request.actor, recognition_id)
    return RECOGNITIONS.edit(
        request,
        recognition,
        lambda actor, data: services.update_recognition(
            actor, recognition=recognition, data=RECOGNITIONS.input(data)
        ),
        success=_("The recognition has been saved."),
        title=_("Edit the recognition of %(name)s") % {"name": recognition.recipient_name},
    )
