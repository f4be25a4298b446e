from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.core.forms import long_text
from cpis.core.periods import Period
from cpis.core.widgets import DateInput

from .models import ProgressStatus, ReviewOutcome
from .services import MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class UpdateForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Reporting for"), coerce=int)
    status = forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices)
    percent = forms.IntegerField(
        label=_("Percent complete (optional)"), required=False, min_value=0, max_value=100
    )
    milestone = forms.CharField(label=_("Milestone reached (optional)"), required=False, max_length=200)
    narrative = long_text(_("What was done"), rows=4)
    reported_on = forms.DateField(label=_("As of"), widget=DateInput())
    evidence = MultipleFileField(
        label=_("Evidence (optional: PDF, photos, documents; up to 5 files of 10 MB)"), required=False
    )

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]
        self.fields["reported_on"].initial = timezone.localdate()

    def clean_evidence(self) -> list[Any]:
        """Refuse too many or too large files before any is read into memory
        (the service checks their contents)."""
        files: list[Any] = self.cleaned_data["evidence"]
        if len(files) > MAX_EVIDENCE_FILES or any(f.size > MAX_EVIDENCE_BYTES for f in files):
            raise forms.ValidationError(_("Attach at most 5 files of at most 10 MB each."))
        return files


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Review"),
        choices=[(ReviewOutcome.ACCEPTED, _("Accept")), (ReviewOutcome.RETURNED, _("Return"))],
    )
    note = forms.CharField(label=_("Note (needed to return)"), required=False, max_length=2000)


class ValueForm(forms.Form):
    period = forms.ChoiceField(label=_("Half-year"))
    value = forms.DecimalField(label=_("Value"), min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, periods: list[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.label, p.label) for p in reversed(periods)]  # type: ignore[attr-defined]


class TargetForm(forms.Form):
    target = forms.DecimalField(
        label=_("Target per half-year"), required=False, min_value=0, max_digits=12, decimal_places=2
    )


class FreezeForm(forms.Form):
    """A half-year and the place to evaluate: the country or a region the actor
    may freeze for. Without a place the evaluation is national, as before there
    were regions' evaluations."""

    period = forms.ChoiceField(label=_("Half-year"))
    unit = forms.TypedChoiceField(label=_("Place"), coerce=int, required=False, empty_value=None)

    def __init__(
        self, *args: Any, periods: list[Period], places: list[Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.label, p.label) for p in reversed(periods)]  # type: ignore[attr-defined]
        places = places or []
        self.places = {place.pk: place for place in places}
        self.fields["unit"].choices = [(place.pk, place.name) for place in places]  # type: ignore[attr-defined]
        if len(places) <= 1:
            self.fields["unit"].widget = forms.HiddenInput()
            if places:
                self.fields["unit"].initial = places[0].pk


class NarrativeForm(forms.Form):
    goal = forms.CharField(widget=forms.HiddenInput, max_length=10)
    text = long_text(_("Narrative"), 8000, rows=5)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (XLSX)"))
