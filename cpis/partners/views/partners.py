"""The partner registry of a place [2.1.1, 2.1.3]: the list and its export,
registering and editing a partner, and a partner's page."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cpis.core.exports import download
from cpis.core.forms import paginate, query_without_page
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import PartnerFilterForm, PartnerForm
from ..models import Partner
from ..policy import policy
from .common import RecordKind, list_page, manage_units


def partner_url(partner: Partner) -> str:
    return reverse("partners:partner", args=[partner.pk])


def _partner_filters(form: PartnerFilterForm) -> selectors.PartnerFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.PartnerFilters(
        kind=data.get("kind", ""),
        level=data.get("level", ""),
        active=data.get("active", ""),
        query=data.get("q", ""),
    )


@staff_required
def partner_list(request: ActorRequest) -> HttpResponse:
    """The registry of the user's places [2.1.1, 2.1.3]."""
    form = PartnerFilterForm(request.GET or None)
    partners = selectors.list_partners(request.actor, _partner_filters(form))
    query = query_without_page(request.GET)
    exports = [
        (f"{reverse('partners:export', args=['csv'])}?{query}", _("Export CSV")),
        (f"{reverse('partners:export', args=['xlsx'])}?{query}", _("Export XLSX")),
    ]
    return list_page(
        request, "partners/partner_list.html", form, paginate(request, partners), export_urls=exports
    )


@staff_required
def partner_export(request: ActorRequest, fmt: str) -> HttpResponse:
    """The registry as CSV or XLSX: no contact people, no phone or e-mail."""
    filters = _partner_filters(PartnerFilterForm(request.GET or None))
    rows = selectors.partner_export_rows(request.actor, filters)
    return download(selectors.PARTNER_EXPORT_HEADER, rows, fmt, name="partners")


PARTNERS = RecordKind(
    form=PartnerForm,
    choices=lambda actor: {"units": manage_units(actor)},
    data=services.PartnerData,
    list_name="partners:list",
    url=partner_url,
)


@staff_required
def partner_create(request: ActorRequest) -> HttpResponse:
    return PARTNERS.create(
        request,
        lambda actor, data: services.register_partner(actor, data=PARTNERS.input(data)),
        success=_("The partner has been registered."),
        title=_("Register a partner"),
    )


@staff_required
def partner_edit(request: ActorRequest, partner_id: int) -> HttpResponse:
    partner = selectors.get_partner(request.actor, partner_id)
    return PARTNERS.edit(
        request,
        partner,
        lambda actor, data: services.update_partner(actor, partner=partner, data=PARTNERS.input(data)),
        success=_("The partner has been saved."),
        title=_("Edit %(name)s") % {"name": partner.name},
    )


@staff_required
def partner_detail(request: ActorRequest, partner_id: int) -> HttpResponse:
    """A partner, its agreements and, for roles that need them, its contact
    people with phone and e-mail (each one shown is logged)."""
    actor = request.actor
    partner = selectors.get_partner(actor, partner_id)
    can_view_contacts = selectors.can_view_contacts(actor, partner.unit_path)
    context = {
        "partner": partner,
        "can_manage": policy.can(actor, "manage", partner.unit_path),
        "can_view_contacts": can_view_contacts,
        "contacts": selectors.list_contacts(actor, partner, request=request) if can_view_contacts else [],
        "contact_count": selectors.count_contacts(partner),
        "agreements": selectors.list_partner_agreements(actor, partner),
    }
    return render(request, "partners/partner_detail.html", context)
