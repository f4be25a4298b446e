from django import forms
from django.utils.translation import gettext_lazy as _


class PlaceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Village, town or municipality"),
        min_length=2,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
    )


class LocateForm(forms.Form):
    lat = forms.FloatField(min_value=-90, max_value=90)
    lon = forms.FloatField(min_value=-180, max_value=180)
