"""Recognitions of special contributions [2.2.3]: the list, recording and
editing one."""

from typing import Any

from django.core.paginator import Page
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.organisation.access import ActorRequest

from .. import selectors, services
from ..forms import RecognitionFilterForm, RecognitionForm
from ..models import Recognition
from ..policy import policy
from .common import RecordKind, list_view, manage_units


def _manageable(request: ActorRequest, page: Page[Recognition]) -> dict[str, Any]:
    """The recognitions of the page the actor may edit."""
    return {"manageable": {r.pk for r in page if policy.can(request.actor, "manage", r.unit_path)}}


RECOGNITIONS = RecordKind[Recognition](
    form=RecognitionForm,
    choices=lambda actor: {"units": manage_units(actor), "partner": selectors.list_partner_choices(actor)},
    create=services.award_recognition,
    update=lambda actor, recognition, **data: services.update_recognition(
        actor, recognition=recognition, **data
    ),
    get=selectors.get_recognition,
    list_name="partners:recognitions",
    created=gettext_lazy("The recognition has been recorded."),
    saved=gettext_lazy("The recognition has been saved."),
    new_title=gettext_lazy("Record a recognition"),
    edit_title=lambda recognition: _("Edit the recognition of %(name)s")
    % {"name": recognition.recipient_name},
)

recognition_list = list_view(
    "partners/recognition_list.html", RecognitionFilterForm, selectors.list_recognitions, context=_manageable
)
recognition_create = RECOGNITIONS.create_view()
recognition_edit = RECOGNITIONS.edit_view()
