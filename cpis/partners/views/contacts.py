"""A partner's contact people. Phone and e-mail are personal data: only
roles that need them see them, and each view is logged."""

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.forms import as_input
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import ContactForm
from ..policy import policy
from .common import edit_page
from .partners import partner_url


@staff_required
def contact_create(request: ActorRequest, partner_id: int) -> HttpResponse:
    actor = request.actor
    partner = selectors.get_partner(actor, partner_id)
    policy.require(actor, "manage", partner.unit_path)
    return edit_page(
        request,
        ContactForm(request.POST or None),
        lambda data: services.add_contact(actor, partner=partner, data=as_input(services.ContactData, data)),
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
    policy.require(actor, "manage", contact.partner.unit_path)
    initial = model_to_dict(contact, fields=list(ContactForm.base_fields))
    return edit_page(
        request,
        ContactForm(request.POST or None, initial=initial),
        lambda data: services.update_contact(
            actor, contact=contact, data=as_input(services.ContactData, data)
        ),
        success=_("The contact has been saved."),
        then=reverse("partners:partner", args=[contact.partner_id]),
        title=_("Edit the contact at %(partner)s") % {"partner": contact.partner.name},
        cancel=reverse("partners:partner", args=[contact.partner_id]),
    )


@staff_required
@require_POST
def contact_delete(request: ActorRequest, contact_id: int) -> HttpResponse:
    actor = request.actor
    contact = selectors.get_contact_record(actor, contact_id)
    services.remove_contact(actor, contact=contact)
    messages.success(request, _("The contact has been removed."))
    return redirect("partners:partner", partner_id=contact.partner_id)
