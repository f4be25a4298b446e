"""The partner registry of a place [2.1.1, 2.1.3]: the list and its export,
registering and editing a partner, and a partner's page."""

from typing import Any

from django.core.paginator import Page
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.exports import download
from cpis.core.forms import query_without_page
from cpis.core.views import on_record, record_url
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import PartnerFilterForm, PartnerForm
from ..models import Partner
from ..policy import policy
from .common import RecordKind, list_view

partner_url = record_url("partners:partner")


def _exports(request: ActorRequest, page: Page[Partner]) -> dict[str, Any]:
    """The registry as filtered, as CSV or XLSX."""
    query = query_without_page(request.GET)
    return {
        "export_urls": [
            (f"{reverse('partners:export', args=['csv'])}?{query}", _("Export CSV")),
            (f"{reverse('partners:export', args=['xlsx'])}?{query}", _("Export XLSX")),
        ]
    }


PARTNERS = RecordKind[Partner](
    form=PartnerForm,
    create=services.register_partner,
    update=lambda actor, partner, **data: services.update_partner(actor, partner=partner, **data),
    get=selectors.get_partner,
    list_name="partners:list",
    url=partner_url,
    created=gettext_lazy("The partner has been registered."),
    saved=gettext_lazy("The partner has been saved."),
    new_title=gettext_lazy("Register a partner"),
    edit_title=lambda partner: _("Edit %(name)s") % {"name": partner.name},
)

partner_list = list_view(
    "partners/partner_list.html", PartnerFilterForm, selectors.list_partners, context=_exports
)
partner_create = PARTNERS.create_view()
partner_edit = PARTNERS.edit_view()


@staff_required
def partner_export(request: ActorRequest, fmt: str) -> HttpResponse:
    """The registry as CSV or XLSX: no contact people, no phone or e-mail."""
    filters = PartnerFilterForm(request.GET or None).selector_filters()
    rows = selectors.partner_export_rows(request.actor, filters)
    return download(selectors.PARTNER_EXPORT_HEADER, rows, fmt, name="partners")


@staff_required
@on_record(selectors.get_partner)
def partner_detail(request: ActorRequest, partner: Partner) -> HttpResponse:
    """A partner, its agreements and, for roles that need them, its contact
    people with phone and e-mail (each one shown is logged)."""
    actor = request.actor
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
