"""The register of vulnerable persons' forms: its filters, an entry (recorded
or changed), its review and its officer's appointment. Choices come from the
view (selectors); the rules are the services'."""

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.core.forms import InputForm, long_text
from cpis.core.widgets import DateInput
from cpis.organisation.models import Officer, Unit

from ..models import LegalBasis, Vulnerability, VulnerableKind
from ..services import vulnerable as services
from .problems import EVERY, officer_label, place_label


def _choice(field: forms.Field, choices: list[tuple[Any, Any]]) -> None:
    field.choices = choices  # type: ignore[attr-defined]


class PlaceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return place_label(obj)


class OfficerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return officer_label(obj)


class VulnerableFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Person or group"), required=False)
    vulnerability = forms.ChoiceField(label=_("Kind of vulnerability"), required=False)
    unit = PlaceField(label=_("Place"), required=False, queryset=Unit.objects.none(), empty_label=_("All"))
    overdue = forms.BooleanField(label=_("Review overdue only"), required=False)
    mine = forms.BooleanField(label=_("Appointed to me only"), required=False)

    def __init__(self, *args: Any, places: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self.fields["kind"], [EVERY, *VulnerableKind.choices])
        _choice(self.fields["vulnerability"], [EVERY, *Vulnerability.choices])
        self.fields["unit"].queryset = places  # type: ignore[attr-defined]


def _review_bounds(field: forms.Field) -> None:
    today = timezone.localdate()
    field.widget.attrs["min"] = (today + timedelta(days=1)).isoformat()
    field.widget.attrs["max"] = services.latest_review(today).isoformat()
    field.help_text = _(
        "After today and at most twelve months ahead. An entry not reviewed by this date is erased "
        "once the grace period after it has passed."
    )


class VulnerableEntryForm(InputForm):
    """What an entry says about the person or group."""

    input = services.EntryInput
    kind = forms.ChoiceField(
        label=_("Person or group"), choices=VulnerableKind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(
        label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    vulnerability = forms.ChoiceField(label=_("Kind of vulnerability"), choices=Vulnerability.choices)
    details = long_text(_("Details (what the officer needs to know)"), limit=10_000, rows=4, required=False)
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    identified_on = forms.DateField(label=_("Identified on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["identified_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class VulnerableRecordForm(VulnerableEntryForm):
    """A new entry: besides what it says, its place, its officer and its review date."""

    unit = PlaceField(label=_("Sector or station"), queryset=Unit.objects.none())
    officer = OfficerField(label=_("Appointed officer"), queryset=Officer.objects.none())
    review_on = forms.DateField(label=_("Review by"), widget=DateInput())

    def __init__(
        self, *args: Any, places: QuerySet[Unit], officers: QuerySet[Officer], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = places  # type: ignore[attr-defined]
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]
        self.fields["officer"].help_text = _("An officer in service at the station of the entry's place.")
        _review_bounds(self.fields["review_on"])


class VulnerableReviewForm(forms.Form):
    review_on = forms.DateField(label=_("Next review by"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _review_bounds(self.fields["review_on"])


class VulnerableAppointForm(forms.Form):
    officer = OfficerField(label=_("Appointed officer"), queryset=Officer.objects.none())

    def __init__(self, *args: Any, officers: QuerySet[Officer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]
