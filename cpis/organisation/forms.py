from django import forms
from django.utils.translation import gettext_lazy as _

from .models import KeyLocationKind, SectorRole, Unit


class AssignOfficerForm(forms.Form):
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Role in sector"), choices=SectorRole.choices)
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Reason for the move"),
        required=False,
        max_length=300,
        help_text=_("Needed when the officer has served less than two years in the current sector."),
    )

    def __init__(self, *args: object, sectors: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if sectors is not None:
            self.fields["sector"].queryset = sectors  # type: ignore[attr-defined]


class SectorProfileForm(forms.Form):
    population = forms.IntegerField(label=_("Population"), min_value=0, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class KeyLocationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=KeyLocationKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class OfficerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or badge number"), required=False, max_length=100)


class SectorImportForm(forms.Form):
    """A GeoJSON FeatureCollection of sectors for one station or substation."""

    MAX_BYTES = 5 * 1024 * 1024

    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_("A FeatureCollection; each feature needs the properties code and name_sq."),
    )

    def clean_file(self) -> object:
        import json

        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise forms.ValidationError(_("The file is not valid GeoJSON.")) from exc
