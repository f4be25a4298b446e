"""Agreements, memoranda and administrative guidelines signed with partners
[2.1.2]: the list, recording and editing one, its page, and its signed PDF."""

from typing import Any

from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.forms import paginate, save_on_post
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import AgreementFilterForm, AgreementForm, DocumentForm
from ..models import Agreement
from ..policy import policy
from .common import RecordKind, chosen_id, list_page, manage_units, upload


def agreement_url(agreement: Agreement) -> str:
    return reverse("partners:agreement", args=[agreement.pk])


@staff_required
def agreement_list(request: ActorRequest) -> HttpResponse:
    """Agreements, memoranda and administrative guidelines [2.1.2]."""
    form = AgreementFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.AgreementFilters(
        kind=data.get("kind", ""), status=data.get("status", ""), query=data.get("q", "")
    )
    agreements = selectors.list_agreements(request.actor, filters)
    return list_page(request, "partners/agreement_list.html", form, paginate(request, agreements))


AGREEMENTS = RecordKind(
    form=AgreementForm,
    choices=lambda actor: {"units": manage_units(actor), "partners": selectors.list_partner_choices(actor)},
    data=services.AgreementData,
    list_name="partners:agreements",
    url=agreement_url,
    given=lambda data: {"partners": list(data["partners"])},
)


@staff_required
def agreement_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    initial: dict[str, Any] = {}
    partner_id = chosen_id(request, "partner")
    if partner_id is not None:
        partner = selectors.list_partner_choices(actor).filter(pk=partner_id).first()
        if partner is not None:
            initial = {"partners": [partner], "unit": partner.unit}
    return AGREEMENTS.create(
        request,
        lambda actor, data: services.record_agreement(
            actor, data=AGREEMENTS.input(data), document=upload(data["document"])
        ),
        success=_("The agreement has been recorded."),
        title=_("Record an agreement"),
        initial=initial,
    )


@staff_required
def agreement_edit(request: ActorRequest, agreement_id: int) -> HttpResponse:
    agreement = selectors.get_agreement(request.actor, agreement_id)
    return AGREEMENTS.edit(
        request,
        agreement,
        lambda actor, data: services.update_agreement(
            actor, agreement=agreement, data=AGREEMENTS.input(data), document=upload(data["document"])
        ),
        success=_("The agreement has been saved."),
        title=_("Edit %(title)s") % {"title": agreement.title},
    )


def _agreement_page(
    request: ActorRequest, agreement: Agreement, form: DocumentForm | None = None, status: int = 200
) -> HttpResponse:
    can_manage = policy.can(request.actor, "manage", agreement.unit_path)
    context = {
        "agreement": agreement,
        "can_manage": can_manage,
        "document_form": (form or DocumentForm()) if can_manage else None,
    }
    return render(request, "partners/agreement_detail.html", context, status=status)


@staff_required
def agreement_detail(request: ActorRequest, agreement_id: int) -> HttpResponse:
    return _agreement_page(request, selectors.get_agreement(request.actor, agreement_id))


@staff_required
@require_POST
def agreement_upload(request: ActorRequest, agreement_id: int) -> HttpResponse:
    """Attach or replace the signed PDF; a refused file changes nothing."""
    actor = request.actor
    agreement = selectors.get_agreement(actor, agreement_id)
    policy.require(actor, "manage", agreement.unit_path)
    form = DocumentForm(request.POST, request.FILES)
    saved = save_on_post(
        request,
        form,
        lambda data: services.attach_agreement_document(
            actor,
            agreement=agreement,
            upload=upload(data["document"]),  # type: ignore[arg-type]
        ),
        success=_("The signed document has been attached."),
    )
    if saved is None:
        return _agreement_page(request, agreement, form, status=400)
    return redirect(agreement_url(agreement))


@staff_required
def agreement_document(request: ActorRequest, agreement_id: int) -> FileResponse:
    """The signed PDF, always as a download, never sniffed into something else."""
    agreement = selectors.get_agreement_document(request.actor, agreement_id)
    response = FileResponse(
        agreement.document.open("rb"), as_attachment=True, filename=agreement.document_name or "document.pdf"
    )
    response["Content-Type"] = "application/pdf"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
