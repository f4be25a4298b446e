"""Forms of the survey waves: the wave itself, the total shared between its
sectors, each sector's target, one dimension's population margins, the list's
filters and the language of the interviewers' sheets."""

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cpis.core.forms import as_input
from cpis.core.widgets import DateInput

from ..models import Dimension, WaveStatus
from ..services.sampling import INTERVIEWS_PER_POINT
from ..services.waves import CATEGORIES, MAX_SEED, MAX_TARGET, MIN_SECTOR_TARGET, WaveInput
from .questionnaires import PREVIEW_LANGUAGES


class VersionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.questionnaire.name} · v{obj.number}"


class PlaceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class WaveForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    version = VersionChoice(label=_("Questionnaire"), queryset=None)
    place = PlaceChoice(label=_("Place surveyed"), queryset=None)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    min_n = forms.IntegerField(
        label=_("Fewest answers shown"),
        min_value=1,
        max_value=1000,
        initial=10,
        help_text=_("A figure from fewer answers than this is suppressed everywhere."),
    )
    seed = forms.IntegerField(
        label=_("Sampling seed"),
        min_value=0,
        max_value=MAX_SEED,
        help_text=_("The same seed draws the same start points."),
    )
    total = forms.IntegerField(
        label=_("Interviews in all (optional)"),
        min_value=0,
        max_value=MAX_TARGET,
        required=False,
    )

    def __init__(
        self, *args: Any, versions: Any, places: Any, creating: bool, locked: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions  # type: ignore[attr-defined]
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        if locked:  # an open wave keeps its questionnaire and place
            self.fields["version"].disabled = True
            self.fields["place"].disabled = True
        if creating:
            self.fields["seed"].initial = secrets.randbelow(1_000_000)
            self.fields["total"].help_text = gettext(
                "Shared between the place's sectors: %(minimum)s each at least, more where more people live."
            ) % {"minimum": MIN_SECTOR_TARGET}
        else:
            del self.fields["total"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The wave cannot end before it starts."))
        return data

    def service_input(self) -> dict[str, Any]:
        given: dict[str, Any] = {"data": as_input(WaveInput, self.cleaned_data)}
        if "total" in self.fields:
            given["total"] = self.cleaned_data.get("total") or None
        return given


class AllocateForm(forms.Form):
    total = forms.IntegerField(
        label=_("Interviews in all"),
        min_value=1,
        max_value=MAX_TARGET,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["total"].help_text = gettext(
            "Each sector gets %(minimum)s at least, and more in proportion to the square root of its "
            "population; the sectors' targets are replaced."
        ) % {"minimum": MIN_SECTOR_TARGET}


class TargetsForm(forms.Form):
    """One number per sector of the wave's place (empty: no target)."""

    def __init__(self, *args: Any, rows: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[f"sector_{row.sector.pk}"] = forms.IntegerField(
                label=row.sector.name,
                min_value=0,
                max_value=MAX_TARGET,
                required=False,
                initial=row.target,
            )

    def targets(self) -> dict[int, int | None]:
        return {int(name.removeprefix("sector_")): value for name, value in self.cleaned_data.items()}


class MarginsForm(forms.Form):
    """The shares of one dimension's categories (empty: not given)."""

    dimension = forms.ChoiceField(choices=Dimension.choices, widget=forms.HiddenInput)

    def __init__(self, *args: Any, dimension: str, shares: dict[str, float], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dimension_code = dimension
        self.label = Dimension(dimension).label
        self.fields["dimension"].initial = dimension
        for value, label in CATEGORIES[dimension].choices:
            self.fields[f"share_{value}"] = forms.FloatField(
                label=label,
                min_value=0,
                max_value=1,
                required=False,
                initial=shares.get(value),
                widget=forms.NumberInput(attrs={"step": "0.001", "inputmode": "decimal"}),
            )

    def shares(self) -> dict[str, float]:
        return {
            name.removeprefix("share_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("share_") and value is not None
        }


def margin_forms(
    margins: dict[str, dict[str, float]], data: Any = None, posted: str = ""
) -> list[MarginsForm]:
    """A form for each dimension, the posted one bound to what was sent."""
    return [
        MarginsForm(data if value == posted else None, dimension=value, shares=margins.get(value, {}))
        for value in Dimension.values
    ]


class DrawForm(forms.Form):
    per_point = forms.IntegerField(
        label=_("Interviews per start point"), min_value=1, max_value=100, initial=INTERVIEWS_PER_POINT
    )


class WaveFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *WaveStatus.choices]  # type: ignore[attr-defined]


class SheetLanguageForm(forms.Form):
    lang = forms.ChoiceField(label=_("Language of the sheets"), choices=PREVIEW_LANGUAGES)
