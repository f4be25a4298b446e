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


class PeriodForm(ScopeForm):
    """Place and period only (the service statistics are of concerns, all categories)."""

    def __init__(self, *args: Any, places: Sequence[Unit], **kwargs: Any):
        super().__init__(*args, places=places, **kwargs)
        del self.fields["subject"], self.fields["category"]
