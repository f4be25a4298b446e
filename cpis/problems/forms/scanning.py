"""The form that opens a problem from what scanning found: filled in from
the source (title, place, categories, target area) for the user to confirm
or change."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cpis.concerns import selectors as concerns
from cpis.core.forms import long_text
from cpis.incidents import selectors as incidents
from cpis.organisation.access import Actor

from ..selectors import problems
from ..selectors.origins import Origin


def _place_label(unit: Any) -> str:
    return f"{unit.name} ({unit.parent.name})" if unit.parent_id else unit.name


class OpenFromForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = long_text(_("Description"), 10_000, rows=4, required=False)
    unit = forms.TypedChoiceField(label=_("Place"), coerce=int)
    incident_categories = forms.TypedMultipleChoiceField(
        label=_("Incident categories"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    concern_categories = forms.TypedMultipleChoiceField(
        label=_("Concern categories"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    use_area = forms.BooleanField(
        label=_("Take this as the target area (otherwise the whole place)"), required=False
    )
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(label=_("Note on taking the cluster up"), max_length=500, required=False)

    def __init__(self, data: Any, *, actor: Actor, origin: Origin) -> None:
        initial = {
            "title": origin.title[:200],
            "description": origin.description,
            "unit": origin.unit.pk if origin.unit is not None else None,
            "incident_categories": [c.pk for c in origin.incident_categories],
            "concern_categories": [c.pk for c in origin.concern_categories],
            "use_area": True,
        }
        super().__init__(data, initial=initial)
        self.places = {u.pk: u for u in problems.list_places(actor)}
        self.incident_choices = {c.pk: c for c in incidents.list_categories()}
        self.concern_choices = {c.pk: c for c in concerns.list_categories()}
        owners = problems.list_owner_choices(origin.unit) if origin.unit is not None else []
        self.owners = {o.pk: o for o in owners}
        fields: Any = self.fields
        fields["unit"].choices = [
            ("", _("Choose…")),
            *((pk, _place_label(u)) for pk, u in self.places.items()),
        ]
        fields["incident_categories"].choices = [(pk, c.name) for pk, c in self.incident_choices.items()]
        fields["concern_categories"].choices = [(pk, c.name) for pk, c in self.concern_choices.items()]
        fields["owner"].choices = [
            ("", _("You, if you serve there")),
            *((pk, str(o)) for pk, o in self.owners.items()),
        ]
        if not origin.area:
            del self.fields["use_area"]
        if origin.cluster is None:
            del self.fields["note"]

    def service_input(self) -> dict[str, Any]:
        """The keyword arguments of `services.scanning.open_from` from the valid form."""
        data = self.cleaned_data
        return {
            "unit": self.places[data["unit"]],
            "title": data["title"],
            "description": data["description"],
            "incident_categories": [self.incident_choices[pk] for pk in data["incident_categories"]],
            "concern_categories": [self.concern_choices[pk] for pk in data["concern_categories"]],
            "use_area": bool(data.get("use_area")),
            "owner": self.owners.get(data["owner"]) if data["owner"] is not None else None,
            "note": data.get("note", ""),
        }
