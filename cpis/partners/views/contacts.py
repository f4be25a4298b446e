"""A partner's contact people. Phone and e-mail are personal data: only
roles that need them see them, and each view is logged."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.forms import initial_from
from cpis.core.views import on_record
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import ContactForm
from ..models import Partner, PartnerContact
from .common import edit_page, manage
from .partners import partner_url


@staff_required
@on_record(selectors.get_partner, check=manage)
def contact_create(request: ActorRequest, partner: Partner) -> HttpResponse:
    form = ContactForm(request.POST or None)
    return edit_page(
        request,
        form,
        lambda data: services.add_contact(request.actor, partner=partner, **form.service_input()),
        success=_("The contact has been added."),
        then=partner_url(partner),
        title=_("New contact at %(partner)s") % {"partner": partner.name},
        intro=_(
            "Phone and e-mail are personal data: only roles that need them see them, and each view is logged."
        ),
        cancel=partner_url(partner),
    )


@staff_required
def contact_edit(request: ActorRequest, contact_id: int) -> HttpResponse:
    actor = request.actor
    contact = selectors.get_contact(actor, contact_id, request=request)
    manage(actor, contact.partner)
    form = ContactForm(request.POST or None, initial=initial_from(contact, ContactForm))
    return edit_page(
        request,
        form,
        lambda data: services.update_contact(actor, contact=contact, **form.service_input()),
        success=_("The contact has been saved."),
        then=partner_url(contact.partner),
        title=_("Edit the contact at %(partner)s") % {"partner": contact.partner.name},
        cancel=partner_url(contact.partner),
    )


@staff_required
@require_POST
@on_record(selectors.get_contact_record)
def contact_delete(request: ActorRequest, contact: PartnerContact) -> HttpResponse:
    services.remove_contact(request.actor, contact=contact)
    messages.success(request, _("The contact has been removed."))
    return redirect("partners:partner", partner_id=contact.partner_id)
