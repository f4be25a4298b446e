from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.core.widgets import MonthInput

from .models import Decision


class ReportForm(forms.Form):
    issues = forms.CharField(
        label=_("Issues raised by the community"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
    )
    actions = forms.CharField(
        label=_("Actions taken and outcomes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
    )
    needs = forms.CharField(
        label=_("Needs and requests"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4000}),
    )
    remarks = forms.CharField(
        label=_("Other remarks"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 4000}),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    comment = forms.CharField(
        label=_("Comment (needed to return)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 4000}),
    )
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
