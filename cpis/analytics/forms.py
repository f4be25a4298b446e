"""Forms of the analytics pages: the scope every page shares (place, data,
category, dates) and the parameters of each analysis. The same checks as
the API and the command line: `analyses.check_params` has the last word."""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cpis.organisation.models import Unit

from .models import Subject
from .selectors import Category, Scope, list_categories, today

MAX_SPAN_DAYS = 20 * 366
EARLIEST = date(1900, 1, 1)  # no police record is older; earlier dates are typing errors


def place_label(unit: Unit) -> str:
    indent = "\u2003" * max(unit.depth - 1, 0) if hasattr(unit, "depth") else ""
    return f"{indent}{unit.name}"


def _category_choices(subject: str, categories: Sequence[Category]) -> list[tuple[str, Any]]:
    return [("", _("All categories")), *((c.code, c.name) for c in categories)]


class ScopeForm(forms.Form):
    """Place, data and category, and optionally a period; GET parameters."""

    place = forms.TypedChoiceField(label=_("Place"), coerce=int, required=False, empty_value=None)
    subject = forms.ChoiceField(label=_("Data"), choices=Subject.choices, required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, places: Sequence[Unit], default_days: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.places = {unit.pk: unit for unit in places}
        self.default_days = default_days
        self.fields["place"].choices = [(u.pk, place_label(u)) for u in places]  # type: ignore[attr-defined]
        subject = self.data.get("subject") or Subject.INCIDENTS
        if subject not in Subject.values:
            subject = Subject.INCIDENTS
        self.categories = list_categories(subject)
        self.fields["category"].choices = _category_choices(subject, self.categories)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        if until and until > today():
            self.add_error("until", _("The end date is in the future."))
        for name in ("since", "until"):
            if data.get(name) and data[name] < EARLIEST:
                self.add_error(name, _("Choose a date after 1900."))
        if since and until and (until - since).days > MAX_SPAN_DAYS:
            raise forms.ValidationError(_("Choose a period of at most twenty years."))
        return data

    def scope(self, default: Unit) -> Scope:
        """The scope asked for; the actor's home place and all of the data by default."""
        data = self.cleaned_data if self.is_valid() else {}
        unit = self.places.get(data.get("place") or default.pk, default)
        subject = data.get("subject") or Subject.INCIDENTS
        category = data.get("category") or ""
        until = data.get("until")
        since = data.get("since")
        if since is None and self.default_days is not None:
            since = (until or today()) - timedelta(days=self.default_days - 1)
        return Scope(
            unit=unit, subject=subject, categories=(category,) if category else (), start=since, end=until
        )


class HotspotForm(forms.Form):
    cell = forms.IntegerField(
        label=_("Cell size (m)"), min_value=100, max_value=5000, initial=500, required=False
    )
    permutations = forms.IntegerField(
        label=_("Permutations"), min_value=0, max_value=9999, initial=999, required=False
    )
    alpha = forms.ChoiceField(
        label=_("Significance"),
        choices=[("0.1", "90 %"), ("0.05", "95 %"), ("0.01", "99 %")],
        initial="0.05",
        required=False,
    )
    bandwidth = forms.IntegerField(
        label=_("Density bandwidth (m)"), min_value=50, max_value=5000, initial=250, required=False
    )


class NearRepeatForm(forms.Form):
    space_bandwidth = forms.IntegerField(
        label=_("Distance band (m)"), min_value=1, max_value=5000, initial=100
    )
    space_bands = forms.IntegerField(label=_("Distance bands"), min_value=1, max_value=20, initial=5)
    time_bandwidth = forms.IntegerField(label=_("Time band (days)"), min_value=1, max_value=365, initial=7)
    time_bands = forms.IntegerField(label=_("Time bands"), min_value=1, max_value=20, initial=4)
    metric = forms.ChoiceField(
        label=_("Distance"),
        choices=[("manhattan", _("Manhattan (along streets)")), ("euclidean", _("Straight line"))],
        initial="manhattan",
    )
    mode = forms.ChoiceField(
        label=_("Bands"),
        choices=[("exact", _("Exact bands")), ("nrc", _("As the Near Repeat Calculator counts them"))],
        initial="exact",
    )
    permutations = forms.IntegerField(label=_("Permutations"), min_value=0, max_value=9999, initial=999)


class ScanForm(forms.Form):
    days = forms.IntegerField(label=_("Days of history"), min_value=60, max_value=3 * 365, initial=365)
    window = forms.IntegerField(label=_("Longest cluster (days)"), min_value=1, max_value=90, initial=30)
    radius = forms.IntegerField(label=_("Largest radius (m)"), min_value=100, max_value=5000, initial=1000)
    cell = forms.IntegerField(label=_("Cell size (m)"), min_value=100, max_value=2000, initial=500)
    replicates = forms.IntegerField(label=_("Replicates"), min_value=99, max_value=9999, initial=999)


class ReviewForm(forms.Form):
    """Dismiss a cluster. Taking one up opens a problem (the problems app's
    "open from a cluster" page), which accepts the cluster in the same step."""

    decision = forms.ChoiceField(choices=[("dismiss", _("Dismiss"))])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class NearRepeatFileForm(forms.Form):
    """A near-repeat table of the reader's own file: the file, which columns
    hold what (as `import_incidents` maps them, plus x and y), the coordinate
    systems, and the bands. Nothing is stored unless `keep` is ticked."""

    file = forms.FileField(label=_("File (CSV, XLSX or GeoJSON)"))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("From the file name")), ("csv", "CSV"), ("xlsx", "XLSX"), ("geojson", "GeoJSON")],
        required=False,
    )
    date_column = forms.CharField(label=_("Column of the date"), max_length=200)
    date_format = forms.CharField(
        label=_("Date format (strptime, e.g. %d/%m/%Y)"), max_length=50, required=False
    )
    x_column = forms.CharField(label=_("Column of x (projected)"), max_length=200, required=False)
    y_column = forms.CharField(label=_("Column of y (projected)"), max_length=200, required=False)
    lon_column = forms.CharField(label=_("Column of the longitude"), max_length=200, required=False)
    lat_column = forms.CharField(label=_("Column of the latitude"), max_length=200, required=False)
    category_column = forms.CharField(label=_("Column of the category"), max_length=200, required=False)
    category = forms.CharField(label=_("Only this category (as written)"), max_length=200, required=False)
    crs = forms.CharField(label=_("Coordinate system of the file"), max_length=100, initial="EPSG:4326")
    projection = forms.CharField(
        label=_("Measure distances in (EPSG code; empty: the file's own, else its UTM zone)"),
        max_length=100,
        required=False,
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    mode = forms.ChoiceField(
        label=_("Bands"),
        choices=[("exact", _("Exact bands")), ("nrc", _("As the Near Repeat Calculator counts them"))],
        initial="exact",
    )
    space_bandwidth = forms.FloatField(
        label=_("Distance band (m)"), min_value=1, max_value=5000, required=False
    )
    space_bands = forms.IntegerField(label=_("Distance bands"), min_value=1, max_value=20, required=False)
    time_bandwidth = forms.FloatField(label=_("Time band (days)"), min_value=1, max_value=365, required=False)
    time_bands = forms.IntegerField(label=_("Time bands"), min_value=1, max_value=20, required=False)
    space_edges = forms.CharField(
        label=_("Or distance edges (m, e.g. 100,200,400)"), max_length=200, required=False
    )
    time_edges = forms.CharField(
        label=_("Or time edges (days, e.g. 7,14,28)"), max_length=200, required=False
    )
    no_same_location = forms.BooleanField(label=_("No same-location band"), required=False)
    same_location_tolerance = forms.FloatField(
        label=_("Same location within (m)"), min_value=0, max_value=1000, required=False
    )
    closed = forms.ChoiceField(
        label=_("Bands include"),
        choices=[
            ("", _("The default")),
            ("right", _("Their upper edge: (a, b]")),
            ("left", _("Their lower edge: [a, b)")),
        ],
        required=False,
    )
    no_more_than = forms.BooleanField(label=_("No “more than” bands"), required=False)
    metric = forms.ChoiceField(
        label=_("Distance"),
        choices=[("manhattan", _("Manhattan (along streets)")), ("euclidean", _("Straight line"))],
        initial="manhattan",
    )
    permutations = forms.IntegerField(label=_("Permutations"), min_value=0, max_value=9999, initial=99)
    keep = forms.BooleanField(label=_("Keep the result (not the file) among the analyses"), required=False)

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB."), params={"size": self.max_bytes // (1024 * 1024)}
            )
        return upload

    def mapping(self) -> dict[str, str]:
        data = self.cleaned_data
        columns = {
            "occurred_on": data["date_column"],
            "x": data["x_column"],
            "y": data["y_column"],
            "lon": data["lon_column"],
            "lat": data["lat_column"],
            "category": data["category_column"],
        }
        return {field: column.strip() for field, column in columns.items() if column and column.strip()}

    def read_options(self) -> dict[str, Any]:
        """The keyword arguments of `analyses.read_events`, but the file."""
        data = self.cleaned_data
        return {
            "fmt": data["format"] or None,
            "mapping": self.mapping(),
            "date_format": data["date_format"],
            "crs": data["crs"],
            "projection": data["projection"],
            "since": data["since"],
            "until": data["until"],
            "categories": (data["category"],) if data["category"] else (),
        }

    def params(self) -> dict[str, Any]:
        """The near-repeat parameters asked for (blank ones left to the defaults)."""
        data = self.cleaned_data
        names = [
            "mode", "space_bandwidth", "space_bands", "time_bandwidth", "time_bands", "space_edges",
            "time_edges", "same_location_tolerance", "closed", "metric", "permutations",
        ]  # fmt: skip
        params = {name: data[name] for name in names if data.get(name) not in (None, "")}
        if data["no_same_location"]:
            params["same_location"] = False
        if data["no_more_than"]:
            params["more_than"] = False
        return params


class PeriodForm(ScopeForm):
    """Place and period only (the service statistics are of concerns, all categories)."""

    def __init__(self, *args: Any, places: Sequence[Unit], **kwargs: Any):
        super().__init__(*args, places=places, **kwargs)
        del self.fields["subject"], self.fields["category"]
