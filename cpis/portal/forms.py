from django import forms
from django.utils.translation import gettext_lazy as _

from cpis.core.contact import phone_field
from cpis.core.forms import long_text


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


def _category_choices() -> list[tuple[str, object]]:
    from cpis.concerns.selectors import list_categories

    return [("", _("Choose…")), *((c.code, c.name) for c in list_categories())]


class ReportForm(forms.Form):
    """A concern from the public portal. Contact details are optional: a
    citizen may stay anonymous and follow the concern with its code."""

    category = forms.ChoiceField(label=_("What is it about?"))
    description = long_text(_("What happened, or what worries you?"), rows=6)
    place_text = forms.CharField(
        label=_("Where? Village, street or landmark"),
        required=False,
        max_length=200,
        help_text=_("Or click the map below."),
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPEG or PNG, at most 5 MB. Location data in the photo is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    reporter_name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=200)
    reporter_email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    reporter_phone = phone_field(_("Phone (optional)"))
    language = forms.ChoiceField(label=_("Language for our replies"))
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    pow = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from django.conf import settings

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["category"].choices = _category_choices()  # type: ignore[attr-defined]
        self.fields["language"].choices = settings.LANGUAGES  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("lat") is None and not data.get("place_text"):
            raise forms.ValidationError(_("Mark the place on the map or type where it is."))
        return data


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("As you received it, for example 7F3Q-9M2X-482913."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class FollowUpForm(forms.Form):
    text = long_text(_("Add information or answer our question"), rows=4)
