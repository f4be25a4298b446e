"""The data-protection officer's forms: a data-subject request, a step on a
record found (with its legal reason), closing a request."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.core.forms import long_text

from ..models import RequestKind, RequestStatus

IDENTIFIERS_HELP = _("One per line.")


class SubjectRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("The person asks for"), choices=RequestKind.choices)
    requester_name = forms.CharField(label=_("Requester's name"), max_length=200)
    requester_contact = forms.CharField(
        label=_("How to reach the requester"),
        max_length=300,
        help_text=_("The address, e-mail or phone the answer goes to."),
    )
    received_on = forms.DateField(
        label=_("Received on"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    names = long_text(_("Names the person is known by"), 2000, required=False)
    emails = long_text(_("E-mail addresses"), 2000, required=False)
    phones = long_text(_("Phone numbers"), 1000, required=False)
    note = long_text(_("What the person asks (optional)"), required=False)
    names.help_text = emails.help_text = phones.help_text = IDENTIFIERS_HELP


class RecordStepForm(forms.Form):
    """A step on one record the search found: erase, restrict or lift."""

    subject_type = forms.CharField(widget=forms.HiddenInput, max_length=100)
    subject_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
    legal_reason = long_text(_("Legal reason"), 2000, rows=2)
    legal_reason.error_messages["required"] = _("State the legal reason.")


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("The request is"),
        choices=[
            (RequestStatus.ANSWERED, RequestStatus.ANSWERED.label),
            (RequestStatus.REFUSED, RequestStatus.REFUSED.label),
        ],
    )
    outcome = long_text(_("Answer given to the person (for a refusal, the law's reason)"), rows=4)
