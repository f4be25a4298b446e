from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.core.forms import long_text
from cpis.organisation.models import Language, Municipality, Unit, UnitKind

from .importing import FIELDS
from .models import Outlet, OutletKind, Tone, Topic


def place_label(unit: Unit) -> str:
    """A sector reads with its station ("Station › Sector")."""
    if unit.kind == UnitKind.SECTOR and unit.parent is not None:
        return f"{unit.parent.name} › {unit.name}"
    return unit.name


class FilterForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Place"), required=False, coerce=int, empty_value=None)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.TypedChoiceField(label=_("Topic"), required=False, coerce=int, empty_value=None)
    outlet_kind = forms.ChoiceField(label=_("Kind of outlet"), required=False)
    tone = forms.ChoiceField(label=_("Tone"), required=False)

    def __init__(self, *args: Any, units: Iterable[Unit], topics: Iterable[Topic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = ("", _("All"))
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ("", _("All my places")),
            *[(u.pk, place_label(u)) for u in units],
        ]
        self.fields["topic"].choices = [every, *[(t.pk, t.name) for t in topics]]  # type: ignore[attr-defined]
        self.fields["outlet_kind"].choices = [every, *OutletKind.choices]  # type: ignore[attr-defined]
        self.fields["tone"].choices = [every, *Tone.choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The first day must not be after the last day."))
        return data


class ItemForm(forms.Form):
    """The quick entry on a phone: outlet, date, headline, tone, topic, place; the
    rest folded away and optional."""

    outlet = forms.TypedChoiceField(label=_("Outlet"), coerce=int)
    published_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    headline = forms.CharField(
        label=_("Headline"), max_length=300, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    tone = forms.ChoiceField(
        label=_("Tone toward the police"), choices=Tone.choices, widget=forms.RadioSelect
    )
    topic = forms.TypedChoiceField(label=_("Topic"), coerce=int)
    unit = forms.TypedChoiceField(label=_("Place"), coerce=int)
    more_units = forms.TypedMultipleChoiceField(
        label=_("Other places (optional)"), required=False, coerce=int
    )
    url = forms.URLField(label=_("Link (optional)"), required=False, max_length=500, assume_scheme="https")
    summary = long_text(_("Summary (optional)"), limit=2000, rows=3, required=False)
    municipalities = forms.TypedMultipleChoiceField(
        label=_("Municipalities (optional)"), required=False, coerce=int
    )
    problem_ids = forms.CharField(
        label=_("Problem numbers (optional)"), required=False, help_text=_("Separated by commas.")
    )
    activity_ids = forms.CharField(label=_("Outreach activity numbers (optional)"), required=False)
    meeting_ids = forms.CharField(label=_("Forum meeting numbers (optional)"), required=False)
    press_release_ids = forms.CharField(label=_("Forum press release numbers (optional)"), required=False)

    def __init__(
        self,
        *args: Any,
        outlets: Iterable[Outlet],
        topics: Iterable[Topic],
        places: Iterable[Unit],
        municipalities: Iterable[Municipality],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        places = list(places)
        self.fields["outlet"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *[(o.pk, f"{o.name} ({o.get_kind_display()})") for o in outlets],
        ]
        self.fields["topic"].choices = [("", "—"), *[(t.pk, t.name) for t in topics]]  # type: ignore[attr-defined]
        self.fields["unit"].choices = [(u.pk, place_label(u)) for u in places]  # type: ignore[attr-defined]
        self.fields["more_units"].choices = [(u.pk, place_label(u)) for u in places]  # type: ignore[attr-defined]
        self.fields["municipalities"].choices = [(m.pk, m.name) for m in municipalities]  # type: ignore[attr-defined]
        self.fields["published_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def _ids(self, name: str) -> list[int]:
        text = self.cleaned_data.get(name) or ""
        parts = [p.strip().lstrip("#") for p in text.replace(";", ",").split(",") if p.strip()]
        if not all(p.isascii() and p.isdigit() and len(p) < 12 for p in parts):
            raise forms.ValidationError(_("Write record numbers separated by commas."))
        return [int(p) for p in parts]

    def clean_problem_ids(self) -> list[int]:
        return self._ids("problem_ids")

    def clean_activity_ids(self) -> list[int]:
        return self._ids("activity_ids")

    def clean_meeting_ids(self) -> list[int]:
        return self._ids("meeting_ids")

    def clean_press_release_ids(self) -> list[int]:
        return self._ids("press_release_ids")


class OutletForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OutletKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    reach = forms.IntegerField(
        label=_("Reach (people a day), if known"), required=False, min_value=0, max_value=10_000_000
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (CSV or XLSX)"))


class MappingForm(forms.Form):
    """Which column of the file holds each field, a place for rows without one, and
    what to do: check only, import, or import the valid rows."""

    unit = forms.TypedChoiceField(
        label=_("Place for rows without one"), required=False, coerce=int, empty_value=None
    )
    valid_rows_only = forms.BooleanField(
        label=_("If some rows have errors, import the valid rows anyway"), required=False
    )

    def __init__(self, *args: Any, header: list[str], places: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = [("", _("(not in the file)")), *[(h, h) for h in header if h]]
        for name, (label, required, _aliases) in FIELDS.items():
            self.fields[f"col_{name}"] = forms.ChoiceField(label=label, choices=columns, required=required)
        self.fields["unit"].choices = [("", "—"), *[(u.pk, place_label(u)) for u in places]]  # type: ignore[attr-defined]

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"col_{name}") or "" for name in FIELDS}

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{name}"] for name in FIELDS]
