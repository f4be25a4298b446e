from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.core.periods import within_years
from cpis.organisation.models import Municipality
from cpis.surveys.models.responses import Community, Gender

from .models import Dimension


class PeriodForm(forms.Form):
    """The record's period: this year, last year, or from one day to another."""

    THIS_YEAR, LAST_YEAR, CUSTOM = "this_year", "last_year", "custom"
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[(THIS_YEAR, _("This year")), (LAST_YEAR, _("Last year")), (CUSTOM, _("From … to …"))],
        required=False,
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        choice = data.get("period") or self.THIS_YEAR
        start: date | None
        end: date | None
        if choice == self.LAST_YEAR:
            start, end = date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
        elif choice == self.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                raise forms.ValidationError(_("Give the first and the last day."))
            try:
                within_years(start)
                within_years(end)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from exc
            if end < start:
                raise forms.ValidationError(_("The period ends before it starts."))
        else:
            start, end = date(today.year, 1, 1), today
        data["start"], data["end"] = start, end
        return data


class OfficerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or badge number"), required=False, max_length=100)


class BackgroundForm(forms.Form):
    community = forms.ChoiceField(label=_("Community"), choices=Community.choices)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)


class PopulationShareForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.all())
    dimension = forms.ChoiceField(label=_("Dimension"), choices=Dimension.choices)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[(c, label) for c, label in Community.choices]
        + [(c, label) for c, label in Gender.choices if c not in Community.values],
    )
    share = forms.FloatField(label=_("Share (0 to 1)"), min_value=0, max_value=1)
    source = forms.CharField(label=_("Source"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)


class RepresentationForm(forms.Form):
    on = forms.DateField(label=_("On"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
