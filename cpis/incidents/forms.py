from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cpis.core.widgets import DateInput
from cpis.organisation.models import Unit, UnitKind

from .models import Format, IncidentCategory
from .parsing import FIELDS
from .services import MAX_UPLOAD_BYTES, PRESETS


def place_label(unit: Unit) -> str:
    """A sector reads with its station ("Station › Sector")."""
    if unit.kind == UnitKind.SECTOR and unit.parent is not None:
        return f"{unit.parent.name} › {unit.name}"
    return unit.name


class FilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())
    unit = forms.TypedChoiceField(label=_("Place"), required=False, coerce=int, empty_value=None)

    def __init__(
        self, *args: Any, categories: Iterable[IncidentCategory], units: Iterable[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *[(c.code, c.name) for c in categories],
        ]
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ("", _("All my places")),
            *[(u.pk, place_label(u)) for u in units],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The last day must not be before the first."))
        return data


# The column fields of the import form, one per incident field.
COLUMN_LABELS = {
    "source_id": _("Column with the record's id"),
    "category": _("Column with the category"),
    "occurred_on": _("Column with the date"),
    "occurred_time": _("Column with the time (optional)"),
    "lat": _("Column with the latitude"),
    "lon": _("Column with the longitude"),
    "place": _("Column with the place or address (optional)"),
    "unit": _("Column with the station or sector code (optional)"),
}


class ImportForm(forms.Form):
    """A file and how to read it. Columns left empty are looked for under
    the field's own name (source_id, category, occurred_on, …)."""

    file = forms.FileField(label=_("File (CSV, XLSX or GeoJSON)"))
    preset = forms.ChoiceField(
        label=_("Known layout"),
        required=False,
        choices=[
            ("", _("None: map the columns below")),
            *[(name, preset.label or name) for name, preset in PRESETS.items()],
        ],
    )
    source = forms.SlugField(
        label=_("Source"),
        required=False,
        max_length=40,
        help_text=_("Where the records come from, e.g. kp-ims. A known layout gives its own."),
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("From the file name")), *Format.choices]
    )
    date_format = forms.CharField(
        label=_("Date format (optional)"),
        required=False,
        max_length=40,
        help_text=_("Only for unusual dates, e.g. %m/%d/%Y. ISO dates and 31.12.2024 are read anyway."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in FIELDS:
            self.fields[f"column_{name}"] = forms.CharField(
                label=COLUMN_LABELS[name], required=False, max_length=200
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{name}"] for name in FIELDS]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB: import it with the command instead."),
                params={"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("source") and not data.get("preset"):
            self.add_error("source", _("Give the source, or choose a known layout."))
        return data

    def mapping(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"column_{name}"].strip()
            for name in FIELDS
            if self.cleaned_data.get(f"column_{name}", "").strip()
        }
