from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cpis.core.contact import phone_field
from cpis.core.forms import long_text
from cpis.organisation.models import Unit

from .models import Outcome


class ComplaintForm(forms.Form):
    """A complaint about police conduct, from the public portal."""

    description = long_text(_("What happened?"), rows=6)
    incident_date = forms.DateField(
        label=_("When? (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    incident_place = forms.CharField(label=_("Where? (optional)"), required=False, max_length=200)
    unit = forms.ModelChoiceField(
        label=_("Police station (if you know it)"),
        required=False,
        queryset=Unit.objects.filter(kind="station").order_by("name_sq"),
    )
    officer_description = forms.CharField(
        label=_("Which officers? (optional)"),
        required=False,
        max_length=300,
        help_text=_("Name, badge number, vehicle number or anything that identifies them."),
    )
    name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=200)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    phone = phone_field(_("Phone (optional)"))
    language = forms.ChoiceField(label=_("Language for our answer"), choices=settings.LANGUAGES)
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    pow = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    text = forms.CharField(
        label=_("Decision, as the complainant will read it"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReferForm(forms.Form):
    text = forms.CharField(
        label=_("What the complainant will read"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class IdentifyForm(forms.Form):
    badge_number = forms.CharField(label=_("Badge number of the officer"), max_length=20)

    def clean_badge_number(self) -> Any:
        return self.cleaned_data["badge_number"].strip().upper()
