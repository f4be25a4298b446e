"""Agreements, memoranda and administrative guidelines signed with partners
[2.1.2]: the list, recording and editing one, its page, and its signed PDF."""

from typing import Any

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cpis.core.uploads import read_upload
from cpis.core.views import RecordPage, on_record, record_url, stored_file
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import AgreementFilterForm, AgreementForm, DocumentForm
from ..models import Agreement
from ..policy import policy
from .common import RecordKind, chosen_id, list_view, manage, manage_units


def _chosen_partner(request: ActorRequest) -> dict[str, Any]:
    """ "Record an agreement" on a partner's page starts from the partner and its unit."""
    partner_id = chosen_id(request, "partner")
    if partner_id is not None:
        partner = selectors.list_partner_choices(request.actor).filter(pk=partner_id).first()
        if partner is not None:
            return {"partners": [partner], "unit": partner.unit}
    return {}


AGREEMENTS = RecordKind[Agreement](
    form=AgreementForm,
    choices=lambda actor: {"units": manage_units(actor), "partners": selectors.list_partner_choices(actor)},
    create=services.record_agreement,
    update=lambda actor, agreement, **data: services.update_agreement(actor, agreement=agreement, **data),
    get=selectors.get_agreement,
    list_name="partners:agreements",
    url=record_url("partners:agreement"),
    new_initial=_chosen_partner,
    created=gettext_lazy("The agreement has been recorded."),
    saved=gettext_lazy("The agreement has been saved."),
    new_title=gettext_lazy("Record an agreement"),
    edit_title=lambda agreement: _("Edit %(title)s") % {"title": agreement.title},
)

agreement_list = list_view("partners/agreement_list.html", AgreementFilterForm, selectors.list_agreements)
agreement_create = AGREEMENTS.create_view()
agreement_edit = AGREEMENTS.edit_view()


def _agreement_context(request: ActorRequest, agreement: Agreement) -> dict[str, object]:
    can_manage = policy.can(request.actor, "manage", agreement.unit_path)
    return {
        "agreement": agreement,
        "can_manage": can_manage,
        "document_form": DocumentForm() if can_manage else None,
    }


PAGE = RecordPage[Agreement](
    "partners:agreement", selectors.get_agreement, "partners/agreement_detail.html", _agreement_context
)

agreement_detail = staff_required(PAGE.view())


@staff_required
@require_POST
@on_record(selectors.get_agreement, check=manage)
def agreement_upload(request: ActorRequest, agreement: Agreement) -> HttpResponse:
    """Attach or replace the signed PDF; a refused file changes nothing."""
    return PAGE.step(
        request,
        agreement,
        "document_form",
        DocumentForm(request.POST, request.FILES),
        lambda data: services.attach_agreement_document(
            request.actor, agreement=agreement, upload=read_upload(data["document"])
        ),
        success=_("The signed document has been attached."),
    )


@staff_required
def agreement_document(request: ActorRequest, agreement_id: int) -> FileResponse:
    """The signed PDF, always as a download, never sniffed into something else."""
    agreement = selectors.get_agreement_document(request.actor, agreement_id)
    return stored_file(
        agreement.document, filename=agreement.document_name or "document.pdf", content_type="application/pdf"
    )
