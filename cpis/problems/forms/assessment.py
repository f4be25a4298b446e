"""The form of the assessment tab: the response date, the window, the
buffer and the control place, with the service's bounds as the browser's."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cpis.core.widgets import DateInput
from cpis.organisation.models import Unit

from ..models import Assessment
from ..services.assessment import BUFFER_METRES, WINDOW_DAYS

DEFAULT_WINDOW_DAYS = 182
DEFAULT_BUFFER_M = 400


class AssessmentForm(forms.Form):
    response_date = forms.DateField(
        label=_("Response date"),
        widget=DateInput(),
        help_text=_("The day the response began. It belongs to neither window."),
    )
    window_days = forms.IntegerField(
        label=_("Window in days, before and after"),
        min_value=WINDOW_DAYS[0],
        max_value=WINDOW_DAYS[1],
        help_text=_("Windows of equal length; half a year or a whole year keeps the seasons alike."),
    )
    buffer_m = forms.IntegerField(
        label=_("Buffer width in metres"),
        min_value=BUFFER_METRES[0],
        max_value=BUFFER_METRES[1],
        help_text=_("A ring around the target area where displaced incidents would show."),
    )
    control_unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Control area"),
        empty_label=_("The rest of the station"),
    )

    def __init__(self, data: Any, *, current: Assessment | None, controls: QuerySet[Unit]) -> None:
        super().__init__(data, initial=initial_from(current))
        self.fields["control_unit"].queryset = controls  # type: ignore[attr-defined]


def initial_from(current: Assessment | None) -> dict[str, Any]:
    """The choices the assessment was made with, or the usual ones."""
    if current is None:
        return {"window_days": DEFAULT_WINDOW_DAYS, "buffer_m": DEFAULT_BUFFER_M}
    return {
        "response_date": current.response_date,
        "window_days": current.window_days,
        "buffer_m": current.buffer_m,
        "control_unit": current.control_unit_id,
    }
