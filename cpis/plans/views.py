"""Staff pages of the action plan: the dashboard, an activity with its
history and the progress form, reviews, deadlines, indicators, the
six-monthly evaluations with their PDF and XLSX, and workbook import/export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render as django_render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.errors import DomainError
from cpis.core.exports import XLSX_CONTENT_TYPE, attachment
from cpis.core.forms import form_status, save_on_post
from cpis.core.http import whole_number
from cpis.core.i18n import pick
from cpis.core.periods import parse_label
from cpis.core.uploads import read_upload
from cpis.core.views import flash_form_step, stored_file
from cpis.organisation.access import Actor, ActorRequest, staff_required

if TYPE_CHECKING:
    from cpis.organisation.models import Unit

from . import selectors, services
from .forms import FreezeForm, ImportForm, NarrativeForm, ReviewForm, TargetForm, UpdateForm, ValueForm
from .models import Activity, Evaluation, Indicator, Plan, ProgressStatus, ProgressUpdate
from .policy import policy
from .workbook import MAX_BYTES, Problem, WorkbookInvalid, read_workbook, write_workbook


def _unit_filter(request: ActorRequest) -> Unit | None:
    unit_id = whole_number(request.GET.get("unit", ""))
    if unit_id is None:
        return None
    return selectors.list_responsible_units().filter(pk=unit_id).first()


def render(request: ActorRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """Every plan page can show status labels and colours."""
    return django_render(request, template, {"statuses": ProgressStatus.choices, **context}, status=status)


def _may(actor: Actor, action: str) -> bool:
    return policy.can(actor, action, selectors.root_path())


@staff_required
def dashboard(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    selectors.require_view(actor)
    plan = selectors.get_current_plan()
    if plan is None:
        return render(request, "plans/no_plan.html", {"can_manage": _may(actor, "manage")})
    return redirect("plans:plan", plan_id=plan.pk)


@staff_required
def plan_dashboard(request: ActorRequest, plan_id: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.get_plan(actor, plan_id)
    unit = _unit_filter(request)
    periods = selectors.plan_periods(plan)
    rows = selectors.list_activity_rows(plan, unit=unit)
    indicator_rows = [r for r in selectors.list_indicator_rows(plan, periods, unit=unit) if r.computed]
    context = {
        "plan": plan,
        "unit": unit,
        "units": selectors.list_responsible_units(),
        "groups": selectors.progress_by_goal(rows),
        "periods": periods,
        "heat": selectors.heat_table(plan, periods, unit=unit),
        "deadlines": selectors.list_deadlines(plan, unit=unit),
        "indicator_rows": indicator_rows,
        "pending_reviews": selectors.list_pending_reviews(plan).count() if _may(actor, "manage") else None,
        "acknowledged": actor.user_id is None or plan.acknowledgements.filter(user_id=actor.user_id).exists(),
        "can_manage": _may(actor, "manage"),
    }
    return render(request, "plans/dashboard.html", context)


def _activity_context(
    request: ActorRequest, plan: Plan, code: str, form: UpdateForm | None = None
) -> dict[str, Any]:
    actor = request.actor
    activity = selectors.get_activity(actor, plan, code)
    units = selectors.list_reporting_units(actor, activity)
    updates = selectors.list_updates(activity)
    states = selectors.list_activity_rows(plan)
    row = next(r for r in states if r.activity.pk == activity.pk)
    return {
        "plan": plan,
        "activity": activity,
        "row": row,
        "updates": updates,
        "form": form or (UpdateForm(units=units) if units else None),
        "review_form": ReviewForm() if _may(actor, "manage") else None,
        "indicator_rows": selectors.list_indicator_rows(
            plan, selectors.plan_periods(plan), activity=activity
        ),
        "periods": selectors.plan_periods(plan),
    }


@staff_required
def activity_detail(request: ActorRequest, plan_id: int, code: str) -> HttpResponse:
    actor = request.actor
    plan = selectors.get_plan(actor, plan_id)
    if request.method != "POST":
        return render(request, "plans/activity.html", _activity_context(request, plan, code))
    activity = selectors.get_activity(actor, plan, code)
    units = selectors.list_reporting_units(actor, activity)
    form = UpdateForm(request.POST, request.FILES, units=units)
    if save_on_post(
        request,
        form,
        lambda data: _post_update(actor, activity, units, data),
        success=_("Progress reported. The coordinator will review it."),
    ):
        return redirect("plans:activity", plan_id=plan.pk, code=activity.code)
    return render(request, "plans/activity.html", _activity_context(request, plan, code, form), status=400)


def _post_update(actor: Actor, activity: Activity, units: list[Unit], data: dict[str, Any]) -> ProgressUpdate:
    unit = next((u for u in units if u.pk == data["unit"]), None)
    if unit is None:
        raise services.NotResponsible()
    return services.post_update(
        actor,
        activity=activity,
        unit=unit,
        status=data["status"],
        narrative=data["narrative"],
        reported_on=data["reported_on"],
        percent=data["percent"],
        milestone=data["milestone"],
        files=[read_upload(f) for f in data["evidence"]],
    )


@staff_required
@require_POST
def review_update(request: ActorRequest, update_id: int) -> HttpResponse:
    actor = request.actor
    update = selectors.get_update(actor, update_id)
    flash_form_step(
        request,
        ReviewForm(request.POST),
        lambda data: services.review_update(actor, update=update, outcome=data["outcome"], note=data["note"]),
        refused=_("Choose whether to accept or return the update."),
        success=_("Review recorded."),
    )
    if request.POST.get("next") == "reviews":
        return redirect("plans:reviews", plan_id=update.activity.plan_id)
    return redirect("plans:activity", plan_id=update.activity.plan_id, code=update.activity.code)


@staff_required
def reviews(request: ActorRequest, plan_id: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.get_plan(actor, plan_id)
    policy.require_anywhere(actor, "manage", at=selectors.root_path())
    return render(
        request,
        "plans/reviews.html",
        {"plan": plan, "updates": selectors.list_pending_reviews(plan), "review_form": ReviewForm()},
    )


@staff_required
def evidence_file(request: ActorRequest, evidence_id: int) -> FileResponse:
    evidence = selectors.get_evidence(request.actor, evidence_id)
    return stored_file(evidence.file, filename=evidence.name, content_type=evidence.content_type)


@staff_required
def deadlines(request: ActorRequest, plan_id: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.get_plan(actor, plan_id)
    unit = _unit_filter(request)
    return render(
        request,
        "plans/deadlines.html",
        {
            "plan": plan,
            "unit": unit,
            "units": selectors.list_responsible_units(),
            "deadlines": selectors.list_deadlines(plan, unit=unit),
        },
    )


@staff_required
def indicators(request: ActorRequest, plan_id: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.get_plan(actor, plan_id)
    periods = selectors.plan_periods(plan)
    unit = _unit_filter(request)
    status = 200
    if request.method == "POST":
        policy.require_anywhere(actor, "manage", at=selectors.root_path())
        indicator_id = whole_number(request.POST.get("indicator", ""))
        indicator = None
        if indicator_id is not None:
            indicator = Indicator.objects.filter(activity__plan=plan, pk=indicator_id).first()
        if indicator is None:
            messages.error(request, _("No such indicator."))
            status = 400
        else:
            status = _save_indicator(request, actor, indicator, periods)
            if status == 200:
                return redirect(f"{request.path}#indicator-{indicator.pk}")
    return render(
        request,
        "plans/indicators.html",
        {
            "plan": plan,
            "periods": periods,
            "unit": unit,
            "units": selectors.list_responsible_units(),
            "rows": selectors.list_indicator_rows(plan, periods, unit=unit),
            "can_manage": _may(actor, "manage"),
            "value_form": ValueForm(periods=periods),
            "target_form": TargetForm(),
        },
        status=status,
    )


def _save_indicator(request: ActorRequest, actor: Actor, indicator: Indicator, periods: list[Any]) -> int:
    try:
        if request.POST.get("action") == "target":
            target_form = TargetForm(request.POST)
            if not target_form.is_valid():
                raise services.InvalidInput(_("Enter a target of zero or more, or leave it empty."))
            services.set_indicator_target(
                actor, indicator=indicator, target=target_form.cleaned_data["target"]
            )
        else:
            value_form = ValueForm(request.POST, periods=periods)
            if not value_form.is_valid():
                raise services.InvalidInput(_("Choose a half-year and enter a value of zero or more."))
            data = value_form.cleaned_data
            services.enter_indicator_value(
                actor,
                indicator=indicator,
                period=parse_label(data["period"]),
                value=data["value"],
                note=data["note"],
            )
    except DomainError as exc:
        messages.error(request, str(exc))
        return 400
    messages.success(request, _("Indicator saved."))
    return 200


@staff_required
def evaluations(request: ActorRequest, plan_id: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.get_plan(actor, plan_id)
    places = selectors.evaluation_places(actor)
    periods = _freezable_periods(plan, places)
    if request.method == "POST":
        form = FreezeForm(request.POST, periods=periods, places=places)
        if form.is_valid():
            unit_id = form.cleaned_data["unit"]
            try:
                evaluation = services.freeze_evaluation(
                    actor,
                    plan=plan,
                    period=parse_label(form.cleaned_data["period"]),
                    unit=form.places[unit_id] if unit_id is not None else None,
                )
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request, _("The half-year is frozen. Leadership can now write the narrative.")
                )
                return redirect("plans:evaluation", evaluation_id=evaluation.pk)
        else:
            if not places:
                policy.require_anywhere(actor, "freeze", at=selectors.root_path())
            messages.error(request, _("Choose a half-year that has ended and is not evaluated yet."))
    return render(
        request,
        "plans/evaluations.html",
        {
            "plan": plan,
            "evaluations": selectors.list_evaluations(plan),
            "freeze_form": FreezeForm(periods=periods, places=places) if periods and places else None,
        },
    )


def _freezable_periods(plan: Plan, places: list[Unit]) -> list[Any]:
    """Ended half-years some place of the actor's has not evaluated yet, oldest first."""
    found = {p.start: p for place in places for p in selectors.evaluable_periods(plan, place)}
    return [found[start] for start in sorted(found)]


def _evaluation_context(actor: Actor, evaluation: Evaluation) -> dict[str, Any]:
    snapshot = selectors.report_snapshot(evaluation)
    can_sign = policy.can(actor, "sign", evaluation.unit_path) and not evaluation.is_signed
    return {
        "evaluation": evaluation,
        "plan": evaluation.plan,
        "snapshot": snapshot,
        "place": pick(snapshot["evaluation"].get("place", {}).get("name") or {}) or evaluation.unit.name,
        "goals": [
            {**goal, "title": pick(goal["text"]), "form": NarrativeForm(initial={"goal": goal["number"]})}
            for goal in snapshot["goals"]
        ],
        "can_sign": can_sign,
        "perception": selectors.read_perception(snapshot),
        "sections_recorded": "sections" in snapshot,
        "parts": selectors.evaluation_parts(snapshot),
    }


@staff_required
def evaluation_detail(request: ActorRequest, evaluation_id: int) -> HttpResponse:
    actor = request.actor
    evaluation = selectors.get_evaluation(actor, evaluation_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "sign":
                services.sign_evaluation(actor, evaluation=evaluation)
                messages.success(request, _("The evaluation is signed off."))
            else:
                form = NarrativeForm(request.POST)
                if not form.is_valid():
                    raise services.InvalidInput(_("Write the narrative first."))
                services.write_narrative(
                    actor,
                    evaluation=evaluation,
                    goal_number=form.cleaned_data["goal"],
                    text=form.cleaned_data["text"],
                )
                messages.success(request, _("Narrative saved."))
        except DomainError as exc:
            messages.error(request, str(exc))
        return redirect("plans:evaluation", evaluation_id=evaluation.pk)
    return render(request, "plans/evaluation.html", _evaluation_context(actor, evaluation))


def _report_name(evaluation: Evaluation, extension: str) -> str:
    label = evaluation.snapshot["evaluation"]["period"]["label"].replace(" ", "-")
    place = "" if evaluation.unit.parent_id is None else f"-{evaluation.unit.code}"
    return f"evaluation-{evaluation.plan.code}{place}-{label}.{extension}"


@staff_required
def evaluation_pdf(request: ActorRequest, evaluation_id: int) -> HttpResponse:
    evaluation = selectors.get_evaluation(request.actor, evaluation_id)
    from . import reports  # matplotlib and fpdf2 cost ~0.8 s to import: only when a report is asked for

    data = reports.render_pdf(selectors.report_snapshot(evaluation), language=translation.get_language())
    return attachment(HttpResponse(data, content_type="application/pdf"), _report_name(evaluation, "pdf"))


@staff_required
def evaluation_xlsx(request: ActorRequest, evaluation_id: int) -> HttpResponse:
    evaluation = selectors.get_evaluation(request.actor, evaluation_id)
    from . import reports  # see evaluation_pdf

    data = reports.render_xlsx(selectors.report_snapshot(evaluation), language=translation.get_language())
    return attachment(HttpResponse(data, content_type=XLSX_CONTENT_TYPE), _report_name(evaluation, "xlsx"))


@staff_required
def export_plan(request: ActorRequest, plan_id: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.get_plan(actor, plan_id)
    response = HttpResponse(write_workbook(selectors.spec_from_plan(plan)), content_type=XLSX_CONTENT_TYPE)
    return attachment(response, f"{plan.code}.xlsx")


@staff_required
def import_plan(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    policy.require_anywhere(actor, "manage", at=selectors.root_path())
    problems: list[Problem] = []

    def create(data: dict[str, Any]) -> Plan | None:
        """The plan from the workbook; the workbook's problems are listed, not put on the form."""
        try:
            if data["file"].size > MAX_BYTES:
                raise WorkbookInvalid([Problem("-", 0, "-", _("the file is larger than 10 MB"))])
            return services.create_plan(actor, spec=read_workbook(data["file"].read()))
        except WorkbookInvalid as exc:
            problems.extend(exc.problems)
            return None

    form = ImportForm(request.POST or None, request.FILES or None)
    if plan := save_on_post(request, form, create, success=_("The plan was imported.")):
        return redirect("plans:plan", plan_id=plan.pk)
    return render(
        request, "plans/import.html", {"form": form, "problems": problems}, status=form_status(request)
    )


@staff_required
@require_POST
def acknowledge(request: ActorRequest, plan_id: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.get_plan(actor, plan_id)
    services.acknowledge_plan(actor, plan=plan)
    messages.success(request, _("Thank you: you are counted as informed of the strategy."))
    return redirect("plans:plan", plan_id=plan.pk)
