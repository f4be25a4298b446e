"""The Analysis tab of a problem: the problem-analysis triangle, the
routine-activity notes, the hypotheses, and the data panel computed from the
records (counts over time against the surroundings, the hour × weekday
profile, repeat locations, linked near-repeat runs). Each form posts to its
own view, which calls one service and lands back on the tab."""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.analytics import charts
from cpis.core.errors import DomainError
from cpis.core.views import RecordPage, flash_form_step, flash_step, on_record
from cpis.organisation.access import Actor, ActorRequest, staff_required

from ..forms.problems import HypothesisForm, HypothesisTestForm, RoutineActivityForm, TriangleEntryForm
from ..models import Problem
from ..selectors import analysis as selectors
from ..selectors import problems as problem_selectors
from ..services import analysis as services
from ..services import problems as problem_services


def require_work(actor: Actor, problem: Problem) -> None:
    """403 for those who may see the problem but not work it (the services
    check it again; this only turns their refusal into the page's status)."""
    try:
        problem_services.require_work(actor, problem)
    except problem_services.NotOnTheTeam as exc:
        raise PermissionDenied(str(exc)) from exc


@dataclass(frozen=True)
class PairChart:
    """Two monthly lines on one scale: the area and its surroundings."""

    width: int
    height: int
    inside: str  # SVG polyline points ("" when the series is empty)
    outside: str
    x_ticks: list[charts.Tick]
    y_ticks: list[charts.Tick]
    baseline: float


def pair_chart(
    inside: Sequence[float | None], outside: Sequence[float | None], labels: list[str]
) -> PairChart | None:
    """Both indexed series on one scale, drawn with the analytics' line chart:
    each series is drawn with the other as its (invisible) upper band, so that
    both charts take their scale from the larger of the two."""
    n = len(labels)
    first = [math.nan if v is None else float(v) for v in inside]
    second = [math.nan if v is None else float(v) for v in outside]
    has_first, has_second = any(map(math.isfinite, first)), any(map(math.isfinite, second))
    if not (has_first or has_second):
        return None
    none = [math.nan] * n
    quiet = [False] * n
    drawn_first = charts.band_chart(first if has_first else [0.0] * n, none, second, labels, quiet, every=3)
    drawn_second = charts.band_chart(second if has_second else [0.0] * n, none, first, labels, quiet, every=3)
    return PairChart(
        width=drawn_first.width,
        height=drawn_first.height,
        inside=drawn_first.line if has_first else "",
        outside=drawn_second.line if has_second else "",
        x_ticks=drawn_first.x_ticks,
        y_ticks=drawn_first.y_ticks,
        baseline=drawn_first.baseline,
    )


def _context(request: ActorRequest, problem: Problem) -> dict[str, Any]:
    actor = request.actor
    panel = selectors.data_panel(actor, problem)
    labels = [f"{m:%m.%y}" for m in panel.months]
    can_work = problem_selectors.can_work(actor, problem)
    edit = request.GET.get("edit", "")
    editing = selectors.get_triangle_entry(problem, int(edit)) if edit.isdigit() and can_work else None
    return {
        "problem": problem,
        "tab": "analysis",
        "can_work": can_work,
        "triangle": selectors.list_triangle(problem),
        "hypotheses": selectors.list_hypotheses(problem),
        "statuses": HypothesisTestForm.base_fields["status"].choices,  # type: ignore[attr-defined]
        "panel": panel,
        "series": [panel.incidents, panel.concerns],
        "hours": range(24),
        "incidents_chart": pair_chart(panel.incidents.inside_index, panel.incidents.outside_index, labels),
        "concerns_chart": pair_chart(panel.concerns.inside_index, panel.concerns.outside_index, labels),
        "triangle_form": TriangleEntryForm(),
        "editing": editing,
        "edit_form": TriangleEntryForm(
            initial={
                "side": editing.side,
                "description": editing.description,
                "controller": editing.controller,
            }
        )
        if editing
        else None,
        "routine_form": RoutineActivityForm(initial={"text": problem.routine_activity}),
        "hypothesis_form": HypothesisForm(),
    }


page = RecordPage("problems:analysis", problem_selectors.get_problem, "problems/analysis.html", _context)

analysis = staff_required(page.view())


def posted_on_problem(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A form of the tab posted to its own address, by staff, with the problem
    the URL numbers (404 outside the actor's places, 403 off the team)."""

    def worked(request: ActorRequest, problem: Problem, *args: Any, **kwargs: Any) -> HttpResponse:
        require_work(request.actor, problem)
        return view(request, problem, *args, **kwargs)

    return staff_required(require_POST(on_record(problem_selectors.get_problem)(worked)))


def posted_on_record(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view of one record of a problem: the problem first (404 outside), then
    403 for those off its team; the view gets the problem and the record's number."""

    def worked(request: ActorRequest, problem_id: int, record_id: int) -> HttpResponse:
        problem = problem_selectors.get_problem(request.actor, problem_id)
        require_work(request.actor, problem)
        return view(request, problem, record_id)

    return staff_required(require_POST(worked))


@posted_on_problem
def triangle_add(request: ActorRequest, problem: Problem) -> HttpResponse:
    form = TriangleEntryForm(request.POST)
    return page.step(
        request,
        problem,
        "triangle_form",
        form,
        lambda data: services.add_triangle_entry(request.actor, problem=problem, **data),
        success=_("The entry is on the triangle."),
    )


@posted_on_record
def triangle_change(request: ActorRequest, problem: Problem, entry_id: int) -> HttpResponse:
    entry = selectors.get_triangle_entry(problem, entry_id)
    form = TriangleEntryForm(request.POST)
    if form.is_valid():
        try:
            services.update_triangle_entry(request.actor, entry=entry, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return page.done(request, problem, _("The entry is changed."))
    return page.invalid(request, problem, editing=entry, edit_form=form)


@posted_on_record
def triangle_delete(request: ActorRequest, problem: Problem, entry_id: int) -> HttpResponse:
    entry = selectors.get_triangle_entry(problem, entry_id)
    flash_step(
        request,
        lambda: services.delete_triangle_entry(request.actor, entry=entry),
        success=_("The entry is off the triangle."),
    )
    return redirect("problems:analysis", problem.pk)


@posted_on_problem
def routine_activity(request: ActorRequest, problem: Problem) -> HttpResponse:
    form = RoutineActivityForm(request.POST)
    return page.step(
        request,
        problem,
        "routine_form",
        form,
        lambda data: services.set_routine_activity(request.actor, problem=problem, text=data["text"]),
        success=_("The routine-activity notes are saved."),
    )


@posted_on_problem
def hypothesis_add(request: ActorRequest, problem: Problem) -> HttpResponse:
    form = HypothesisForm(request.POST)
    return page.step(
        request,
        problem,
        "hypothesis_form",
        form,
        lambda data: services.add_hypothesis(request.actor, problem=problem, text=data["text"]),
        success=_("The hypothesis is added."),
    )


@posted_on_record
def hypothesis_test(request: ActorRequest, problem: Problem, hypothesis_id: int) -> HttpResponse:
    hypothesis = selectors.get_hypothesis(problem, hypothesis_id)
    done = flash_form_step(
        request,
        HypothesisTestForm(request.POST),
        lambda data: services.set_hypothesis_status(request.actor, hypothesis=hypothesis, **data),
        refused=_("Choose what the data shows."),
        success=_("What the data shows is recorded."),
    )
    if done:
        return redirect("problems:analysis", problem.pk)
    return page.invalid(request, problem)
