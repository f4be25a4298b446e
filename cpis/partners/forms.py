"""Forms of the partners pages: they parse input; the rules are the services'."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.core.contact import phone_field
from cpis.core.forms import InputForm, as_input, long_text
from cpis.core.periods import Period
from cpis.core.uploads import read_upload
from cpis.organisation.models import Municipality, Unit, UnitKind

from . import selectors, services
from .models import (
    AgreementKind,
    AgreementStatus,
    InterestGroup,
    InterestGroupKind,
    Partner,
    PartnerKind,
    PartnerLevel,
    RecipientKind,
)

ANY: list[tuple[str, Any]] = [("", _("All"))]
YES_NO = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


class UnitChoiceField(forms.ModelChoiceField):
    """A unit, named with its station for a sector or substation (sector names repeat)."""

    def label_from_instance(self, obj: Any) -> str:
        if obj.kind in {UnitKind.SECTOR, UnitKind.SUBSTATION} and obj.parent is not None:
            return f"{obj.name} · {obj.parent.name}"
        return str(obj.name)


class PartnerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.unit.name}"


def _units(field: Any, units: QuerySet[Unit]) -> None:
    field.queryset = units
    if units.count() == 1:
        field.initial = units.first()


# --- filters --------------------------------------------------------------------------


class FilterForm(forms.Form):
    """A list's filters as the query string gives them; `filters` is the
    selector's dataclass they fill."""

    filters: type[Any]

    def selector_filters(self, **given: Any) -> Any:
        """The selector's filters: the form's fields by name, `q` the query,
        then `given`; a refused form filters nothing."""
        data = self.cleaned_data if self.is_valid() else {}
        return as_input(self.filters, data, query=data.get("q", ""), **given)


class PartnerFilterForm(FilterForm):
    filters = selectors.PartnerFilters
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + PartnerKind.choices)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=ANY + PartnerLevel.choices)
    active = forms.ChoiceField(label=_("Active"), required=False, choices=YES_NO)
    q = forms.CharField(label=_("Name or description"), required=False, max_length=100)


class AgreementFilterForm(FilterForm):
    filters = selectors.AgreementFilters
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + AgreementKind.choices)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + AgreementStatus.choices)
    q = forms.CharField(label=_("Title or partner"), required=False, max_length=100)


class GroupFilterForm(FilterForm):
    filters = selectors.GroupFilters
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + InterestGroupKind.choices)
    active = forms.ChoiceField(label=_("Active"), required=False, choices=YES_NO)
    q = forms.CharField(label=_("Name"), required=False, max_length=100)


class VolunteerFilterForm(FilterForm):
    filters = selectors.VolunteerFilters
    active = forms.ChoiceField(label=_("Volunteering now"), required=False, choices=YES_NO)
    q = forms.CharField(label=_("Name"), required=False, max_length=100)


class RecognitionFilterForm(FilterForm):
    filters = selectors.RecognitionFilters
    recipient_kind = forms.ChoiceField(
        label=_("Recipient"), required=False, choices=ANY + RecipientKind.choices
    )
    published = forms.ChoiceField(label=_("Published"), required=False, choices=YES_NO)
    q = forms.CharField(label=_("Recipient or reason"), required=False, max_length=100)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Half-year"), required=False)

    def __init__(self, *args: Any, periods: list[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.label, p.label) for p in periods]  # type: ignore[attr-defined]


# --- records --------------------------------------------------------------------------


class HeldForm(InputForm):
    """A record held by a unit: its `unit` offers the units the actor may
    record for (one alone is chosen already), and each field named in
    `chosen` the records the view gives under the field's name."""

    chosen: tuple[str, ...] = ()

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        options = {name: kwargs.pop(name) for name in self.chosen}
        super().__init__(*args, **kwargs)
        _units(self.fields["unit"], units)
        for name, queryset in options.items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]


class PartnerForm(HeldForm):
    input = services.PartnerData
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=PartnerLevel.choices, initial=PartnerLevel.LOCAL)
    unit = UnitChoiceField(
        label=_("Unit holding the partnership"),
        queryset=Unit.objects.none(),
        help_text=_("The General Directorate for central partners; a station or sector for local ones."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality (optional)"), queryset=Municipality.objects.none(), required=False
    )
    identified_on = _date(_("Identified on"))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    description = long_text(_("Description (optional)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.order_by("name_sq")  # type: ignore[attr-defined]
        self.fields["identified_on"].initial = timezone.localdate()


class ContactForm(InputForm):
    input = services.ContactData
    name = forms.CharField(label=_("Name"), max_length=200)
    position = forms.CharField(label=_("Position (optional)"), max_length=200, required=False)
    phone = phone_field(_("Phone (optional)"))
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    consent = forms.BooleanField(
        label=_("Agreed to be contacted by the police"),
        required=False,
        help_text=_("Record only what the person agreed to share."),
    )


class AgreementForm(HeldForm):
    input = services.AgreementData
    chosen = ("partners",)
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    unit = UnitChoiceField(label=_("Unit holding the agreement"), queryset=Unit.objects.none())
    partners = PartnerChoiceField(
        label=_("Partners"),
        queryset=Partner.objects.none(),
        help_text=_("Partners held by the agreement's unit or by a unit below it."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=AgreementStatus.choices)
    signed_on = _date(_("Signed on"), required=False)
    valid_until = _date(_("Valid until (optional)"), required=False)
    notes = long_text(_("Notes (optional)"), required=False)
    document = forms.FileField(
        label=_("Signed document (PDF, at most 10 MB; optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def service_input(self) -> dict[str, Any]:
        """The agreement's data with its partners, and the signed PDF when one is chosen."""
        data = self.cleaned_data
        document = data["document"]
        return {
            "data": as_input(services.AgreementData, data, partners=list(data["partners"])),
            "document": read_upload(document) if document is not None else None,
        }


class DocumentForm(forms.Form):
    document = forms.FileField(
        label=_("Signed document (PDF, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class GroupForm(HeldForm):
    input = services.GroupData
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=InterestGroupKind.choices)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    founded_on = _date(_("Founded on"))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    description = long_text(_("Description (optional)"), required=False)


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.unit.name}"


class VolunteerForm(HeldForm):
    input = services.VolunteerData
    chosen = ("group",)
    name = forms.CharField(label=_("Name"), max_length=200)
    contact = forms.CharField(label=_("Phone or e-mail (optional)"), max_length=200, required=False)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    group = GroupChoiceField(
        label=_("Interest group (optional)"), queryset=InterestGroup.objects.none(), required=False
    )
    joined_on = _date(_("Joined on"))
    left_on = _date(_("Left on (optional)"), required=False)


class HoursForm(forms.Form):
    date = _date(_("Date"))
    hours = forms.CharField(
        label=_("Hours"),
        max_length=6,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "max": "24", "inputmode": "decimal"}),
    )
    activity = forms.CharField(label=_("What the volunteer did"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class RecognitionForm(HeldForm):
    input = services.RecognitionData
    chosen = ("partner",)
    recipient_kind = forms.ChoiceField(label=_("Recipient is a"), choices=RecipientKind.choices)
    recipient_name = forms.CharField(
        label=_("Recipient's name"),
        max_length=200,
        required=False,
        help_text=_("The citizen's, forum's or officer's name; for a partner it may be left empty."),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner (optional)"), queryset=Partner.objects.none(), required=False
    )
    reason = long_text(_("For what"), 2000)
    awarded_on = _date(_("Awarded on"))
    unit = UnitChoiceField(label=_("Awarded by"), queryset=Unit.objects.none())
    is_published = forms.BooleanField(label=_("Published"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["awarded_on"].initial = timezone.localdate()
