"""Staff pages of the analytics: trends, hotspots with density, near-repeat
runs, emerging clusters, deployment against load, and the priorities
fragment of a sector's profile. Each view parses its form, calls one
analysis or service and renders; long analyses run in the background."""

import base64
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.errors import DomainError
from cpis.core.exports import to_csv
from cpis.core.views import flash_form_step
from cpis.organisation.access import ActorRequest, staff_required

from . import analyses, charts, selectors, services, tasks
from .forms import (
    HotspotForm,
    NearRepeatFileForm,
    NearRepeatForm,
    PeriodForm,
    ReviewForm,
    ScanForm,
    ScopeForm,
)
from .models import ClusterStatus, RunKind, Subject
from .policy import policy

T = TypeVar("T")


def _scope_form(
    request: ActorRequest, *, default_days: int | None = None
) -> tuple[ScopeForm, analyses.Scope]:
    actor = request.actor
    home = selectors.home_place(actor)
    form = ScopeForm(request.GET or None, places=selectors.list_places(actor), default_days=default_days)
    return form, form.scope(home)


def _page(request: ActorRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"query_string": request.GET.urlencode(), **context})


@staff_required
def trends(request: ActorRequest) -> HttpResponse:
    """Counts against last year, weekly bands, alarms and the five-year trend of a place."""
    form, scope = _scope_form(request)
    error = ""
    report = None
    try:
        report = analyses.trends(request.actor, scope)
    except DomainError as exc:
        error = str(exc)
    if report is not None and request.GET.get("format") == "csv":
        header = [_("Category"), _("Period"), _("Now"), _("A year earlier"), _("Change (%)"), _("Poisson z")]
        response = HttpResponse(
            to_csv(header, report.rows_for_export()), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="trends.csv"'
        return response
    context: dict[str, Any] = {"form": form, "scope": scope, "report": report, "error": error}
    if report is not None:
        context["five_year"] = charts.bar_chart([str(y) for y in report.years], report.total.years)
        context["weekly_chart"] = charts.band_chart(
            report.weekly,
            report.lower,
            report.upper,
            [d.strftime("%d.%m.%y") for d in report.week_starts],
            report.weekly_alarm,
        )
    return _page(request, "analytics/trends.html", context)


def _hotspot_params(request: ActorRequest) -> tuple[HotspotForm, dict[str, Any]]:
    form = HotspotForm(request.GET or None)
    params = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")} if form.is_valid() else {}
    return form, params


@staff_required
def hotspots(request: ActorRequest) -> HttpResponse:
    """Gi* hot and cold spots on a grid, with a density surface, on a map."""
    form, scope = _scope_form(request, default_days=analyses.HOTSPOT_DAYS)
    params_form, params = _hotspot_params(request)
    outcome, error = None, ""
    if form.is_valid() or not request.GET:
        try:
            outcome = analyses.hotspots(request.actor, scope, **params)
        except DomainError as exc:
            error = str(exc)
    context = {"form": form, "params_form": params_form, "scope": scope, "outcome": outcome, "error": error}
    return _page(request, "analytics/hotspots.html", context)


def _map_layer(
    request: ActorRequest, analysis: Callable[..., T], answer: Callable[[T], HttpResponse]
) -> HttpResponse:
    """A map layer's JSON: `analysis` of the scope and parameters asked for,
    given to `answer`; a broken rule answers as JSON with its status."""
    _form, scope = _scope_form(request, default_days=analyses.HOTSPOT_DAYS)
    _params_form, params = _hotspot_params(request)
    try:
        outcome = analysis(request.actor, scope, **params)
    except DomainError as exc:
        return JsonResponse({"detail": str(exc)}, status=exc.status_code)
    return answer(outcome)


@staff_required
def hotspots_geojson(request: ActorRequest) -> HttpResponse:
    def answer(outcome: analyses.HotspotOutcome) -> HttpResponse:
        response = JsonResponse(outcome.to_geojson())
        if request.GET.get("download"):
            response["Content-Disposition"] = 'attachment; filename="hotspots.geojson"'
        return response

    return _map_layer(request, analyses.hotspots, answer)


@staff_required
def density(request: ActorRequest) -> HttpResponse:
    """The density surface as a PNG (base64) with its bounds, for a map overlay."""

    def answer(outcome: analyses.DensityOutcome) -> HttpResponse:
        image = base64.b64encode(outcome.png()).decode("ascii")
        return JsonResponse(
            {
                "bounds": outcome.bounds,
                "peak_per_km2": outcome.peak,
                "image": f"data:image/png;base64,{image}",
            }
        )

    return _map_layer(request, analyses.density, answer)


@staff_required
def near_repeat(request: ActorRequest) -> HttpResponse:
    """The near-repeat form; the analysis runs in the background."""
    actor = request.actor
    if request.method == "POST":
        form = ScopeForm(request.POST, places=selectors.list_places(actor))
        params_form = NearRepeatForm(request.POST)
        if form.is_valid() and params_form.is_valid():
            scope = form.scope(selectors.home_place(actor))
            try:
                run = tasks.queue_run(
                    actor, kind=RunKind.NEAR_REPEAT, scope=scope, params=params_form.cleaned_data
                )
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                return redirect("analytics:run", run.pk)
    else:
        selectors.home_place(actor)  # 404 for those with no place to analyse
        initial = {"subject": Subject.INCIDENTS, "category": "burglary"}
        form = ScopeForm(initial=initial, places=selectors.list_places(actor))
        params_form = NearRepeatForm()
    context = {
        "form": form,
        "params_form": params_form,
        "runs": selectors.list_runs(actor),
        "patterns": selectors.list_patterns(actor),
    }
    return render(request, "analytics/near_repeat.html", context)


@staff_required
def run(request: ActorRequest, run_id: int) -> HttpResponse:
    """A background analysis: its progress while it runs (polled), then its result."""
    found = selectors.get_run(request.actor, run_id)
    if request.htmx and found.is_finished:  # type: ignore[attr-defined]
        # The poll ends: reload the whole page, which now shows the result.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    template = "analytics/run.html#status" if request.htmx else "analytics/run.html"  # type: ignore[attr-defined]
    context: dict[str, Any] = {"run": found}
    if found.kind == RunKind.NEAR_REPEAT and found.result:
        context["table"] = _near_repeat_table(found.result)
        risk = found.result.get("risk")
        if risk and risk["days"] and "file" not in found.result:  # a file's events are not the place's
            scope = analyses.Scope(
                unit=found.unit, subject=found.subject, categories=tuple(found.params.get("categories") or ())
            )
            context["alerts"] = analyses.active_alerts(
                request.actor, scope, distance=risk["distance"], days=risk["days"]
            )[:100]
    return render(request, template, context)


def _band_label(bands: dict[str, Any], index: int, unit: str) -> str:
    lower, upper = bands["lower"][index], bands["upper"][index]
    if bands["same_location"] and index == 0 and unit == "m":
        return _("Same location")
    if upper is None:
        return (_("More than %(value)s m") if unit == "m" else _("More than %(value)s days")) % {
            "value": f"{lower:g}"
        }
    values = {"low": f"{lower:g}", "high": f"{upper:g}"}
    return (_("%(low)s to %(high)s m") if unit == "m" else _("%(low)s to %(high)s days")) % values


def _near_repeat_table(result: dict[str, Any]) -> dict[str, Any]:
    """The Knox table as rows of cells for the template: each band's label (as
    the NRC prints it in the NRC mode) with its true interval, each p-value with
    its resolution, and the alert in the bands' terms."""
    space, time = result["space"], result["time"]
    nrc = result.get("mode") == "nrc"
    permutations = int(result.get("permutations") or 0)
    columns = [
        {
            "label": time["labels"][t] if nrc else _band_label(time, t, "d"),
            "interval": analyses.band_interval(time, t, "days"),
        }
        for t in range(len(time["labels"]))
    ]
    cells = {
        (c["space_index"], c["time_index"]): {**c, "p_stated": analyses.p_stated(c["p_value"], permutations)}
        for c in result["cells"]
    }
    rows = []
    for s in range(len(space["labels"])):
        label = space["labels"][s] if nrc else _band_label(space, s, "m")
        rows.append(
            {
                "label": label,
                "interval": analyses.band_interval(space, s, "m"),
                "cells": [cells[(s, t)] for t in range(len(columns))],
            }
        )
    return {
        "columns": columns,
        "rows": rows,
        "closed": space["closed"],
        "sentence": analyses.risk_sentence(result.get("risk"), space),
        "smallest_p": 1 / (permutations + 1) if permutations else None,
    }


@staff_required
def run_csv(request: ActorRequest, run_id: int) -> HttpResponse:
    found = selectors.get_run(request.actor, run_id)
    if not found.result:
        return HttpResponse(status=404)
    header, rows = analyses.result_table(found.kind, found.result)
    response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="analysis-{found.pk}.csv"'
    return response


@staff_required
def clusters(request: ActorRequest) -> HttpResponse:
    """Emerging clusters of a place: candidate problems from the daily scan; a scan on demand."""
    actor = request.actor
    form, scope = _scope_form(request)
    if request.method == "POST":
        post_form = ScopeForm(request.POST, places=selectors.list_places(actor))
        scan_form = ScanForm(request.POST)
        if post_form.is_valid() and scan_form.is_valid():
            try:
                started = tasks.queue_run(
                    actor,
                    kind=RunKind.SCAN,
                    scope=post_form.scope(selectors.home_place(actor)),
                    params=scan_form.cleaned_data,
                )
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                return redirect("analytics:run", started.pk)
        else:
            messages.error(request, _("Check the scan's settings."))
    statuses = [s for s in request.GET.getlist("status") if s in ClusterStatus.values] or [
        ClusterStatus.CANDIDATE
    ]
    found = list(selectors.list_clusters(actor, unit=scope.unit, statuses=statuses)[:200])
    context = {
        "form": form,
        "scope": scope,
        "clusters": found,
        "statuses": statuses,
        "status_choices": ClusterStatus.choices,
        "scan_form": ScanForm(),
        "review_form": ReviewForm(),
        "can_review": {c.pk for c in found if policy.can(actor, "review", c.path)},
    }
    return _page(request, "analytics/clusters.html", context)


@staff_required
def clusters_geojson(request: ActorRequest) -> HttpResponse:
    _form, scope = _scope_form(request)
    statuses = [s for s in request.GET.getlist("status") if s in ClusterStatus.values] or [
        ClusterStatus.CANDIDATE
    ]
    found = list(selectors.list_clusters(request.actor, unit=scope.unit, statuses=statuses)[:200])
    return JsonResponse(selectors.cluster_features(found))


@staff_required
@require_POST
def cluster_review(request: ActorRequest, cluster_id: int) -> HttpResponse:
    actor = request.actor
    cluster = selectors.get_cluster(actor, cluster_id)
    flash_form_step(
        request,
        ReviewForm(request.POST),
        lambda data: services.review_cluster(actor, cluster=cluster, accept=False, note=data["note"]),
        refused=_("Only dismissing a cluster is done here: take one up by opening a problem from it."),
        success=_("The cluster has been reviewed."),
    )
    return redirect(f"{reverse('analytics:clusters')}?place={cluster.unit.parent_id or cluster.unit_id}")


@staff_required
def deployment(request: ActorRequest) -> HttpResponse:
    """Officers per sector against incidents and concerns per sector [Evaluation 3]."""
    form, scope = _scope_form(request)
    result = analyses.deployment(request.actor, unit=scope.unit, start=scope.start, end=scope.end)
    if request.GET.get("format") == "csv":
        header = [
            _("Sector"),
            _("Officers"),
            _("Incidents"),
            _("Concerns"),
            _("Incidents per officer"),
            _("Load index"),
        ]
        rows = (
            [
                r.sector.name,
                r.officers,
                r.incidents,
                r.concerns,
                None if r.incidents_per_officer is None else round(r.incidents_per_officer, 2),
                None if r.load_index is None else round(r.load_index, 2),
            ]
            for r in result.rows
        )
        response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="deployment.csv"'
        return response
    chart = charts.scatter_chart(
        [r.officers for r in result.rows],
        [r.incidents for r in result.rows],
        [r.sector.name for r in result.rows],
        [bool(r.flag) for r in result.rows],
    )
    return _page(request, "analytics/deployment.html", {"form": form, "result": result, "chart": chart})


def _histogram_chart(durations: Any, labels: list[str]) -> charts.BarChart:
    return charts.bar_chart(
        [*labels, _("still waiting")], [*durations.histogram, durations.censored], height=180
    )


def _hour_labels(edges: tuple[float, ...], unit: str) -> list[str]:
    labels = []
    for index, low in enumerate(edges):
        if index + 1 < len(edges):
            labels.append(f"{low:g}–{edges[index + 1]:g} {unit}")
        else:
            labels.append(f"≥ {low:g} {unit}")
    return labels


@staff_required
def service(request: ActorRequest) -> HttpResponse:
    """Service statistics of a place [Evaluation 1]: first contact, closure, due time,
    satisfaction and workload, per place, by month and against a year earlier."""
    actor = request.actor
    form = PeriodForm(request.GET or None, places=selectors.list_places(actor))
    asked = request.GET.get("place", "")
    # A place outside one's own is not found (the other pages fall back to one's own;
    # figures of a place are what this page is asked for, as the API's are).
    default = selectors.get_place(actor, int(asked)) if asked.isdigit() else selectors.home_place(actor)
    scope = form.scope(default)
    report = analyses.service_statistics(actor, unit=scope.unit, start=scope.start, end=scope.end)
    if request.GET.get("format") == "csv":
        header, rows = analyses.service_rows(report)
        response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="service.csv"'
        return response
    total = report.total
    context = {
        "form": form,
        "report": report,
        "contact_chart": _histogram_chart(total.first_contact, _hour_labels(total.first_contact.edges, "h")),
        "closure_chart": _histogram_chart(total.closure, _hour_labels(total.closure.edges, "d")),
        "month_chart": charts.bar_chart(
            [m.month.strftime("%m.%y") for m in report.months],
            [round(100 * (m.within_due.share or 0)) for m in report.months],
            height=180,
        ),
        "late_open": selectors.list_concerns(actor, report.late_open),
        "no_contact": selectors.list_concerns(actor, report.no_contact),
    }
    return _page(request, "analytics/service.html", context)


@staff_required
def sector_priorities(request: ActorRequest, sector_id: int) -> HttpResponse:
    """The ranked priorities of a sector (a fragment of the sector's profile)."""
    actor = request.actor
    sector = selectors.get_sector(actor, sector_id)
    found = analyses.priorities(actor, sector)
    template = "analytics/_priorities.html" if request.htmx else "analytics/priorities_page.html"  # type: ignore[attr-defined]
    return render(request, template, {"sector": sector, "priorities": found})


@staff_required
def near_repeat_file(request: ActorRequest) -> HttpResponse:
    """The near-repeat table of an uploaded file (CSV, XLSX, GeoJSON) in its own
    coordinate system: read, run and shown at once, with the CSV to download;
    nothing is stored unless "keep" is ticked (then the result, never the file)."""
    actor = request.actor
    home = selectors.home_place(actor)  # 404 for those with no place to analyse
    form = NearRepeatFileForm(request.POST or None, request.FILES or None, max_bytes=analyses.MAX_FILE_BYTES)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            events = analyses.read_events(upload, name=upload.name, size=upload.size, **form.read_options())
            outcome = analyses.near_repeat_of_file(events, **form.params())
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            result = outcome.to_json()
            header, rows = analyses.result_table("near_repeat", result)
            csv_bytes = to_csv(header, rows)
            if request.POST.get("download"):
                response = HttpResponse(csv_bytes, content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = 'attachment; filename="near-repeat.csv"'
                return response
            if form.cleaned_data["keep"]:
                read = form.read_options()
                params = {
                    **form.params(),
                    "file": result["file"],
                    "mapping": read["mapping"],
                    "categories": list(read["categories"]),
                    "start": read["since"].isoformat() if read["since"] else None,
                    "end": read["until"].isoformat() if read["until"] else None,
                }
                kept = services.keep_file_run(
                    actor, unit=home, kind=RunKind.NEAR_REPEAT, params=params, result=result
                )
                return redirect("analytics:run", kept.pk)
            encoded = base64.b64encode(csv_bytes).decode("ascii")
            context.update(
                r=result,
                table=_near_repeat_table(result),
                events=events,
                csv_url=f"data:text/csv;charset=utf-8;base64,{encoded}",
            )
    return render(request, "analytics/near_repeat_file.html", context)
