"""Staff pages of performance evaluations [1.2.6]: what waits for me, one
evaluation (rate, acknowledge or appeal, decide, sign), a region's promotion
list, and the forms the personnel department defines."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cpis.core.errors import DomainError
from cpis.organisation.access import Actor, ActorRequest, staff_required

from . import selectors, services
from .forms import (
    AcknowledgeForm,
    AppealForm,
    CriterionForm,
    DecideForm,
    EvaluationFormForm,
    PromotionForm,
    RatingsForm,
    StartForm,
    VersionForm,
    last_year,
)
from .models import Evaluation
from .policy import policy


@staff_required
def home(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if not selectors.may_open(actor):
        raise Http404(_("Not found."))
    reads = policy.sees_anything(actor)
    return render(
        request,
        "appraisals/home.html",
        {
            "waiting": selectors.list_waiting(actor),
            "evaluations": selectors.list_evaluations(actor, request=request),
            "may_start": policy.anywhere(actor, "rate"),
            "may_define": policy.anywhere(actor, "define_forms"),
            "may_promote": policy.anywhere(actor, "promotion_list"),
            "reads_others": reads,
        },
    )


@staff_required
def new(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if not policy.anywhere(actor, "rate"):
        raise Http404(_("Not found."))
    start, end = last_year()
    form = StartForm(
        request.POST or None,
        officers=selectors.list_rateable_officers(actor),
        initial={"period_start": start, "period_end": end, "officer": request.GET.get("officer")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.start_evaluation(actor, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("appraisals:detail", evaluation_id=evaluation.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "appraisals/new.html", {"form": form}, status=status)


def _line_fields(line: selectors.Line, form: RatingsForm | None) -> tuple[Any, Any, Any]:
    """A criterion's line with the rating and comment fields of the form, when the reader rates."""
    if form is None:
        return line, None, None
    return line, form[f"score_{line.criterion.code}"], form[f"comment_{line.criterion.code}"]


def _detail_context(
    request: ActorRequest, evaluation: Evaluation, *, ratings_form: RatingsForm | None = None
) -> dict[str, Any]:
    actor: Actor = request.actor
    evidence = selectors.evidence_of(actor, evaluation, request=request)
    lines = selectors.list_lines(evaluation, evidence)
    criteria = [line.criterion for line in lines]
    rate = selectors.may_rate(actor, evaluation)
    if rate and ratings_form is None:
        initial: dict[str, Any] = {"comment": evaluation.supervisor_comment}
        for line in lines:
            if line.rating is not None:
                initial[f"score_{line.criterion.code}"] = line.rating.score
                initial[f"comment_{line.criterion.code}"] = line.rating.comment
        ratings_form = RatingsForm(criteria=criteria, initial=initial)
    decide = selectors.may_decide(actor, evaluation)
    return {
        "evaluation": evaluation,
        "lines": [_line_fields(line, ratings_form if rate else None) for line in lines],
        "evidence_taken": evidence.get("taken_at") if evaluation.status != "draft" else None,
        "parts": selectors.score_parts(evaluation) if evaluation.score is not None else [],
        "appeal": getattr(evaluation, "appeal", None),
        "is_own": selectors.is_own(actor, evaluation),
        "ratings_form": ratings_form if rate else None,
        "respond": selectors.may_respond(actor, evaluation),
        "acknowledge_form": AcknowledgeForm(),
        "appeal_form": AppealForm(),
        "decide_form": DecideForm(
            criteria=criteria,
            initial={f"score_{line.criterion.code}": line.rating.score for line in lines if line.rating},
        )
        if decide
        else None,
        "sign": selectors.may_sign(actor, evaluation),
    }


@staff_required
def detail(request: ActorRequest, evaluation_id: int) -> HttpResponse:
    evaluation = selectors.get_evaluation(request.actor, evaluation_id, request=request)
    return render(request, "appraisals/detail.html", _detail_context(request, evaluation))


def _rate(request: ActorRequest, evaluation: Evaluation) -> HttpResponse | None:
    actor = request.actor
    criteria = [line.criterion for line in selectors.list_lines(evaluation, {})]
    form = RatingsForm(request.POST, criteria=criteria)
    if form.is_valid():
        try:
            services.rate_evaluation(
                actor, evaluation=evaluation, ratings=form.ratings(), comment=form.cleaned_data["comment"]
            )
            if "submit" in request.POST:
                services.submit_evaluation(actor, evaluation=evaluation)
                messages.success(request, _("The evaluation is sent to the officer."))
            else:
                messages.success(request, _("The ratings are saved."))
            return None
        except DomainError as exc:
            form.add_error(None, str(exc))
    evaluation = selectors.get_evaluation(actor, evaluation.pk, request=request)
    context = _detail_context(request, evaluation, ratings_form=form)
    return render(request, "appraisals/detail.html", context, status=400)


def _step(request: ActorRequest, evaluation: Evaluation, action: str) -> None:
    actor = request.actor
    post = request.POST
    if action == "acknowledge":
        form: Any = AcknowledgeForm(post)
        if form.is_valid():
            services.acknowledge_evaluation(
                actor, evaluation=evaluation, comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("You acknowledged the evaluation."))
            return
    elif action == "appeal":
        form = AppealForm(post)
        if form.is_valid():
            services.appeal_evaluation(actor, evaluation=evaluation, reasons=form.cleaned_data["reasons"])
            messages.success(request, _("Your appeal is sent to the next level of command."))
            return
    elif action == "decide":
        form = DecideForm(post, criteria=[line.criterion for line in selectors.list_lines(evaluation, {})])
        if form.is_valid():
            services.decide_appeal(
                actor, evaluation=evaluation, ratings=form.ratings(), reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Your decision on the appeal is recorded."))
            return
    elif action == "sign":
        services.sign_evaluation(actor, evaluation=evaluation)
        messages.success(request, _("The evaluation is signed; it cannot be changed any more."))
        return
    else:
        raise Http404(_("Not found."))
    messages.error(request, _("Check the form: %(errors)s") % {"errors": " ".join(
        str(error) for errors in form.errors.values() for error in errors
    )})  # fmt: skip


@staff_required
def act(request: ActorRequest, evaluation_id: int, action: str) -> HttpResponse:
    """One step of the evaluation, posted from its page."""
    evaluation = selectors.find_evaluation(request.actor, evaluation_id)
    if request.method != "POST":
        return redirect("appraisals:detail", evaluation_id=evaluation.pk)
    if action == "rate":
        if evaluation.is_frozen or not selectors.may_rate(request.actor, evaluation):
            messages.error(
                request, str(services.Frozen.message if evaluation.is_frozen else services.NotYours.message)
            )
            return redirect("appraisals:detail", evaluation_id=evaluation.pk)
        response = _rate(request, evaluation)
        return response or redirect("appraisals:detail", evaluation_id=evaluation.pk)
    try:
        _step(request, evaluation, action)
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("appraisals:detail", evaluation_id=evaluation.pk)


@staff_required
def promotion(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    regions = selectors.list_regions(actor)
    form = PromotionForm(request.GET or None, regions=regions)
    lines = None
    if form.is_valid():
        lines = selectors.promotion_list(
            actor, rank=form.cleaned_data["rank"], region=form.cleaned_data["region"], request=request
        )
    return render(request, "appraisals/promotion.html", {"form": form, "lines": lines})


@staff_required
def forms_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "appraisals/forms.html",
        {"forms": selectors.list_forms(actor), "may_define": policy.anywhere(actor, "define_forms")},
    )


@staff_required
def form_new(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    policy.require_anywhere(actor, "define_forms")
    form = EvaluationFormForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_form(actor, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("appraisals:version", version_id=created.versions.get().pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "appraisals/form_new.html", {"form": form}, status=status)


@staff_required
def version_new(request: ActorRequest, form_id: int) -> HttpResponse:
    actor = request.actor
    evaluation_form = selectors.get_form(actor, form_id)
    if request.method != "POST":
        return redirect("appraisals:forms")
    form = VersionForm(request.POST)
    try:
        version = services.start_version(
            actor, form=evaluation_form, note=form.cleaned_data["note"] if form.is_valid() else ""
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("appraisals:forms")
    return redirect("appraisals:version", version_id=version.pk)


def _evidence_choices() -> list[tuple[str, str]]:
    return selectors.evidence_choices()


@staff_required
def version(request: ActorRequest, version_id: int) -> HttpResponse:
    """A version's criteria; on a draft, personnel add criteria and publish."""
    actor = request.actor
    found = selectors.get_version(actor, version_id)
    may_edit = found.is_draft and policy.anywhere(actor, "define_forms")
    form = CriterionForm(request.POST or None, evidence=_evidence_choices())
    status = 200
    if request.method == "POST":
        try:
            if "publish" in request.POST:
                services.publish_version(actor, version=found)
                messages.success(request, _("The version is published."))
                return redirect("appraisals:version", version_id=found.pk)
            if form.is_valid():
                services.save_criterion(actor, version=found, **form.service_input())
                messages.success(request, _("The criterion is saved."))
                return redirect("appraisals:version", version_id=found.pk)
            status = 400
        except DomainError as exc:
            messages.error(request, str(exc))
            status = 400
    criteria = selectors.list_version_criteria(found)
    return render(
        request,
        "appraisals/version.html",
        {
            "version": found,
            "criteria": criteria,
            "total": sum(c.weight for c in criteria),
            "may_edit": may_edit,
            "form": form if may_edit else None,
        },
        status=status,
    )


@staff_required
def criterion_edit(request: ActorRequest, version_id: int, criterion_id: int) -> HttpResponse:
    actor = request.actor
    found = selectors.get_version(actor, version_id)
    criterion = selectors.get_criterion(found, criterion_id)
    policy.require_anywhere(actor, "define_forms")
    form = CriterionForm(
        request.POST or None, evidence=_evidence_choices(), initial=CriterionForm.initial_for(criterion)
    )
    if request.method == "POST":
        try:
            if "delete" in request.POST:
                services.delete_criterion(actor, criterion=criterion)
                messages.success(request, _("The criterion is removed."))
                return redirect("appraisals:version", version_id=found.pk)
            if form.is_valid():
                services.save_criterion(actor, version=found, criterion=criterion, **form.service_input())
                messages.success(request, _("The criterion is saved."))
                return redirect("appraisals:version", version_id=found.pk)
        except DomainError as exc:
            form.add_error(None, str(exc))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "appraisals/criterion.html",
        {"version": found, "criterion": criterion, "form": form},
        status=status,
    )
