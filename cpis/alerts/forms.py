from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Topic

AREA_CHOICES = [("sector", _("A sector")), ("circle", _("A circle on the map"))]


class TopicsForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label=_("Tell me about"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class SubscribeForm(TopicsForm):
    """Subscribe with no account. The area's rules (the radius's bounds, a
    centre inside Kosovo's sectors) are the service's, which says what is wrong."""

    area = forms.ChoiceField(label=_("Alerts for"), choices=AREA_CHOICES, widget=forms.RadioSelect)
    sector = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    radius = forms.IntegerField(
        label=_("Radius of the circle, in metres"),
        required=False,
        max_value=2**31 - 1,  # the service says the bounds; this keeps the number a number
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "100"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to confirm it. Nothing else is sent until you follow it."),
    )
    pow = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("area") == "sector" and data.get("sector") is None:
            raise forms.ValidationError(
                _("Open this page from your sector's page, or choose a circle on the map.")
            )
        if data.get("area") == "circle" and (data.get("lat") is None or data.get("lon") is None):
            raise forms.ValidationError(_("Click the map to set the centre of the circle."))
        if data.get("area") == "circle" and data.get("radius") is None:
            self.add_error("radius", _("Enter the radius of the circle in metres."))
        return data
