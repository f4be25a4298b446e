"""The assessment tab of a problem: the form to compute the assessment (for
those who may work the problem, while it is open), and what it found — the
six counts, the rate ratio, the relative effect against the control, the WDQ
and its reading, what was assumed, and the weekly chart."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cpis.core.forms import form_status, save_on_post
from cpis.organisation.access import ActorRequest, staff_required

from ..charts import assessment_chart, weeks
from ..forms.assessment import AssessmentForm
from ..selectors import assessment as selectors
from ..selectors import problems
from ..services import assessment as services


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
        current=current,
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
