"""Staff pages of the reporting chain: what waits for me, my sectors'
reports, a sector's report for a month, review, roll-up and PDF."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.errors import DomainError
from cpis.core.exports import attachment
from cpis.core.forms import submit
from cpis.core.views import flash_form_step
from cpis.organisation import selectors as organisation
from cpis.organisation.access import Actor, ActorRequest, staff_required

if TYPE_CHECKING:
    from cpis.organisation.models import Unit

from . import selectors, services
from .figures import LABELS
from .forms import MonthForm, ReportForm, ReviewForm
from .models import Report
from .policy import may_review, policy


def _month(request: ActorRequest) -> date:
    form = MonthForm(request.GET)
    if "month" in request.GET and form.is_valid():
        return form.cleaned_data["month"].replace(day=1)
    # Reports are on finished months: by default the one that just ended.
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)


def _figures(report: Report) -> list[tuple[str, Any]]:
    return [(str(LABELS.get(key, key)), value) for key, value in report.figures.items()]


@staff_required
def home(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    month = _month(request)
    return render(
        request,
        "reporting/home.html",
        {
            "month": month,
            "month_form": MonthForm(initial={"month": month.strftime("%Y-%m")}),
            "waiting": selectors.list_waiting_for(actor),
            "sectors": selectors.list_my_sectors_with_reports(actor, month),
            "home_unit": selectors.get_home_unit(actor),
        },
    )


@staff_required
def sector_month(request: ActorRequest, unit_id: int, year: int, month: int) -> HttpResponse:
    actor = request.actor
    unit = organisation.get_unit(actor, unit_id)
    try:
        day = date(year, month, 1)
    except (ValueError, OverflowError):
        return render(request, "404.html", status=404)
    existing = Report.objects.filter(unit=unit, period_start=day).first()
    if existing is not None:
        return redirect("reporting:detail", report_id=existing.pk)
    if request.method != "POST":
        policy.require(actor, "write", unit.path)
        return render(request, "reporting/start.html", {"unit": unit, "month": day})
    try:
        report = services.start_report(actor, unit=unit, month=day)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("reporting:home")
    return redirect("reporting:detail", report_id=report.pk)


def _detail_context(actor: Actor, report: Report, form: ReportForm | None = None) -> dict[str, Any]:
    can_write = report.is_editable and policy.can(actor, "write", report.unit_path)
    can_review = (
        report.status == "submitted"
        and may_review(actor, report.stage, report.unit_path)
        and not selectors.took_part(actor, report)
    )
    if form is None and can_write:
        form = ReportForm(initial={f: getattr(report, f) for f in ("issues", "actions", "needs", "remarks")})
    return {
        "report": report,
        "figures": _figures(report),
        "form": form,
        "review_form": ReviewForm(initial={"version": report.version, "stage": report.stage})
        if can_review
        else None,
        **selectors.list_history(report),
    }


@staff_required
def detail(request: ActorRequest, report_id: int) -> HttpResponse:
    actor = request.actor
    report = selectors.get_report(actor, report_id)
    if request.method != "POST":
        return render(request, "reporting/detail.html", _detail_context(actor, report))
    form = ReportForm(request.POST)
    submitting = "submit" in request.POST
    if saved := submit(
        form,
        lambda data: _save(actor, report, data, refresh="refresh" in request.POST, submitting=submitting),
    ):
        if submitting:
            messages.success(request, _("The report is submitted for review."))
        else:
            messages.success(request, _("The report is saved."))
        return redirect("reporting:detail", report_id=saved.pk)
    return render(request, "reporting/detail.html", _detail_context(actor, report, form), status=400)


def _save(actor: Actor, report: Report, data: dict[str, Any], *, refresh: bool, submitting: bool) -> Report:
    """Save the report's text (and refresh its figures when asked), then submit it when asked."""
    report = services.save_report(actor, report=report, refresh=refresh, **data)
    if submitting:
        services.submit_report(actor, report=report)
    return report


@staff_required
def review(request: ActorRequest, report_id: int) -> HttpResponse:
    actor = request.actor
    report = selectors.get_report(actor, report_id)
    if request.method != "POST":
        return redirect("reporting:detail", report_id=report.pk)
    flash_form_step(
        request,
        ReviewForm(request.POST),
        lambda data: services.review_report(actor, report=report, **data),
        refused=_("Choose whether to approve or return the report."),
        success=_("Your decision is recorded."),
    )
    return redirect("reporting:detail", report_id=report.pk)


@staff_required
def rollup(request: ActorRequest, unit_id: int) -> HttpResponse:
    actor = request.actor
    unit: Unit = organisation.get_unit(actor, unit_id)
    month = _month(request)
    data = selectors.roll_up(actor, unit=unit, month=month)
    up = selectors.level_up(actor, unit)
    return render(
        request,
        "reporting/rollup.html",
        {"rollup": data, "unit": unit, "up": up, "children": organisation.list_children(unit),
         "month_form": MonthForm(initial={"month": month.strftime("%Y-%m")})},
    )  # fmt: skip


@staff_required
def pdf(request: ActorRequest, report_id: int) -> HttpResponse:
    report = selectors.get_report(request.actor, report_id)
    from . import pdf as report_pdf  # fpdf2 is heavy to import: only when a PDF is asked for

    response = HttpResponse(report_pdf.render(report), content_type="application/pdf")
    return attachment(response, f"report-{report.pk}-{report.period_start:%Y-%m}.pdf")
