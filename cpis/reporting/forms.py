from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.core.forms import long_text
from cpis.core.widgets import MonthInput

from .models import Decision


class ReportForm(forms.Form):
    issues = long_text(_("Issues raised by the community"), rows=4, required=False)
    actions = long_text(_("Actions taken and outcomes"), rows=4, required=False)
    needs = long_text(_("Needs and requests"), rows=3, required=False)
    remarks = long_text(_("Other remarks"), rows=2, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    comment = long_text(_("Comment (needed to return)"), rows=3, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    stage = forms.CharField(widget=forms.HiddenInput, max_length=30)


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=MonthInput(attrs={"min": "2012-01"}),
    )

    def clean_month(self) -> date:
        month: date = self.cleaned_data["month"]
        if not date(2012, 1, 1) <= month <= timezone.localdate():
            raise forms.ValidationError(_("Choose a month from January 2012 to this month."))
        return month
