"""The assessment tab of a problem: the form to compute the assessment (for
those who may work the problem, while it is open), and what it found — the
six counts, the rate ratio, the relative effect against the control, the WDQ
and its reading, what was assumed, and the weekly chart."""

from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.forms import form_status, save_on_post
from cpis.core.widgets import DateInput
from cpis.organisation.access import ActorRequest, staff_required

from ..charts import assessment_chart, weeks
from ..selectors import assessment as selectors
from ..selectors import problems
from ..services import assessment as services

DEFAULT_WINDOW_DAYS = 182
DEFAULT_BUFFER_M = 400


class AssessmentForm(forms.Form):
    response_date = forms.DateField(
        label=gettext_lazy("Response date"),
        widget=DateInput(),
        help_text=gettext_lazy("The day the response began. It belongs to neither window."),
    )
    window_days = forms.IntegerField(
        label=gettext_lazy("Window in days, before and after"),
        min_value=services.WINDOW_DAYS[0],
        max_value=services.WINDOW_DAYS[1],
        help_text=gettext_lazy(
            "Windows of equal length; half a year or a whole year keeps the seasons alike."
        ),
    )
    buffer_m = forms.IntegerField(
        label=gettext_lazy("Buffer width in metres"),
        min_value=services.BUFFER_METRES[0],
        max_value=services.BUFFER_METRES[1],
        help_text=gettext_lazy("A ring around the target area where displaced incidents would show."),
    )
    control_unit: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Control area"),
        empty_label=gettext_lazy("The rest of the station"),
    )

    def __init__(self, *args: Any, controls: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["control_unit"].queryset = controls  # type: ignore[attr-defined]


def _initial(current: Any) -> dict[str, Any]:
    if current is None:
        return {"window_days": DEFAULT_WINDOW_DAYS, "buffer_m": DEFAULT_BUFFER_M}
    return {
        "response_date": current.response_date,
        "window_days": current.window_days,
        "buffer_m": current.buffer_m,
        "control_unit": current.control_unit_id,
    }


@staff_required
def assessment(request: ActorRequest, problem_id: int) -> HttpResponse:
    actor = request.actor
    problem = problems.get_problem(actor, problem_id)
    can_work = problems.can_work(actor, problem)
    if request.method == "POST" and not can_work:
        raise PermissionDenied(
            _("Only the problem's owner, its team's officers and the leads of its place may assess it.")
        )
    current = selectors.get_assessment(problem)
    form = AssessmentForm(
        request.POST or None,
        initial=_initial(current),
        controls=selectors.list_control_choices(actor, problem),
    )
    saved = save_on_post(
        request,
        form,
        lambda data: services.assess_problem(actor, problem=problem, **data),
        success=_("The assessment has been computed from the records."),
    )
    if saved is not None:
        return redirect("problems:assessment", problem.pk)
    context: dict[str, Any] = {
        "problem": problem,
        "tab": "assessment",
        "can_work": can_work and problem.is_open,
        "form": form,
        "assessment": current,
    }
    if current is not None:
        after_end = current.response_date + timedelta(days=current.window_days)
        context |= {
            "before_start": current.response_date - timedelta(days=current.window_days),
            "before_end": current.response_date - timedelta(days=1),
            "after_start": current.response_date + timedelta(days=1),
            "after_end": after_end,
            "provisional": current.data_until is None or current.data_until < after_end,
            "categories": selectors.category_names(current.categories),
            "chart": assessment_chart(
                current.series, response_date=current.response_date, window_days=current.window_days
            ),
            "weeks": weeks(current.series),
        }
    return render(request, "problems/assessment.html", context, status=form_status(request))
