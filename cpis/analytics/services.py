"""Writes for the analytics: request a background analysis and carry it out,
run the daily emerging-cluster scan, and take a cluster up or dismiss it."""

import logging
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cpis.core.errors import DomainError, InvalidInput
from cpis.notifications import selectors as notifications
from cpis.notifications.models import Kind as NotificationKind
from cpis.notifications.services import notify
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from . import analyses
from .analyses.common import located
from .models import (
    AnalysisRun,
    ClusterStatus,
    EmergingCluster,
    NearRepeatPattern,
    RunKind,
    RunStatus,
    Subject,
)
from .policy import policy
from .selectors import list_categories

log = logging.getLogger(__name__)


class ClusterAlreadyReviewed(DomainError):
    status_code = 409


def request_run(actor: Actor, *, kind: str, scope: analyses.Scope, params: dict[str, Any]) -> AnalysisRun:
    """Record a background analysis of a place (`tasks.queue_run` queues it);
    the run page follows its progress. Parameters are checked here, before
    anything is recorded."""
    policy.require(actor, "run", scope.unit.path)
    if kind not in RunKind.values:
        raise InvalidInput(_("Unknown analysis."))
    checked = analyses.check_params(kind, params)
    stored = {
        **checked,
        "categories": list(scope.categories),
        "start": scope.start.isoformat() if scope.start else None,
        "end": scope.end.isoformat() if scope.end else None,
    }
    return AnalysisRun.objects.create(
        kind=kind,
        subject=scope.subject,
        unit=scope.unit,
        path=scope.unit.path,
        params=stored,
        requested_by_id=actor.user_id,
        language=translation.get_language() or "",
    )


def _progress_writer(run_id: int) -> Callable[[float], None]:
    """A progress callback that writes at most twice a second."""
    last = [0.0]

    def write(fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5:
            last[0] = now
            AnalysisRun.objects.filter(pk=run_id).update(progress=max(0.0, min(1.0, float(fraction))))

    return write


def execute_run(run_id: int) -> AnalysisRun:
    """Carry out a queued run (a task body: running it again does nothing)."""
    with transaction.atomic():
        run = AnalysisRun.objects.select_for_update().select_related("unit").get(pk=run_id)
        if run.status != RunStatus.QUEUED:
            return run
        run.status, run.started_at = RunStatus.RUNNING, timezone.now()
        run.save(update_fields=["status", "started_at"])
    # The run reads what its requester may read (the daily job's runs have none: the system).
    actor = Actor.for_user(run.requested_by) if run.requested_by_id else Actor.system()
    with translation.override(run.language or None):
        return _execute(run, actor)


def _execute(run: AnalysisRun, actor: Actor) -> AnalysisRun:
    params = dict(run.params)
    scope = analyses.Scope(
        unit=run.unit,
        subject=run.subject,
        categories=tuple(params.pop("categories", []) or ()),
        start=date.fromisoformat(params["start"]) if params.get("start") else None,
        end=date.fromisoformat(params["end"]) if params.get("end") else None,
    )
    params.pop("start", None)
    params.pop("end", None)
    try:
        if run.kind == RunKind.NEAR_REPEAT:
            result = analyses.near_repeat(actor, scope, progress=_progress_writer(run.pk), **params)
            payload = result.to_json()
        else:
            found = analyses.scan(actor, scope, progress=_progress_writer(run.pk), **params)
            payload = found.to_json()
            # Candidate problems come from those who may review them (and the daily job).
            if actor.is_system or policy.can(actor, "review", run.path):
                save_clusters(found, run=run)
    except InvalidInput as exc:
        run.status, run.error = RunStatus.FAILED, str(exc)
    except Exception as exc:  # the run is marked failed; the worker keeps going
        log.exception("analysis run %s failed", run.pk)
        run.status, run.error = RunStatus.FAILED, _("The analysis failed: %(error)s") % {"error": exc}
    else:
        run.status, run.result, run.progress = RunStatus.DONE, payload, 1.0
    run.finished_at = timezone.now()
    try:
        run.save(update_fields=["status", "result", "error", "progress", "finished_at"])
    except DatabaseError:  # e.g. a result the database refuses: the run must not stay "running"
        log.exception("analysis run %s: result not saved", run.pk)
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=_("The result could not be saved."), finished_at=run.finished_at
        )
        run.refresh_from_db()
    return run


def save_clusters(found: "analyses.ScanOutcome", *, run: AnalysisRun | None = None) -> list[EmergingCluster]:
    """Store the significant clusters of a scan as candidate problems. A cluster
    that overlaps an open candidate of the same data and category (same
    centre sector, overlapping days) updates it instead of adding a second."""
    saved = []
    today = timezone.localdate()
    with transaction.atomic():
        for cluster in found.significant():
            existing = (
                EmergingCluster.objects.select_for_update()
                .filter(
                    subject=found.scope.subject,
                    category=cluster.category,
                    unit_id=cluster.sector_id,
                    end_date__gte=cluster.start_date - timedelta(days=1),
                    status=ClusterStatus.CANDIDATE,
                )
                .order_by("-last_detected_on")
                .first()
            )
            fields = {
                "category_label": cluster.category_label,
                "centre_lat": cluster.centre_lat,
                "centre_lon": cluster.centre_lon,
                "radius_m": cluster.radius_m,
                "start_date": cluster.start_date,
                "end_date": cluster.end_date,
                "observed": cluster.observed,
                "expected": cluster.expected,
                "llr": cluster.llr,
                "p_value": cluster.p_value,
                "recurrence_days": cluster.recurrence_days,
                "area": cluster.area,
                "last_detected_on": today,
                "run": run,
            }
            if existing is not None:
                for name, value in fields.items():
                    setattr(existing, name, value)
                existing.start_date = min(existing.start_date, cluster.start_date)
                existing.save()
                saved.append(existing)
                continue
            sector = Unit.objects.get(pk=cluster.sector_id)
            new = EmergingCluster.objects.create(
                subject=found.scope.subject,
                category=cluster.category,
                unit=sector,
                path=sector.path,
                first_detected_on=today,
                **fields,
            )
            _tell_area(new)
            saved.append(new)
    return saved


def _tell_area(cluster: EmergingCluster) -> None:
    """A new candidate (not one the scan extends) is told to the policing roles over its sector."""
    notify(
        kind=NotificationKind.EMERGING_CLUSTER,
        recipients=notifications.receivers(NotificationKind.EMERGING_CLUSTER, cluster.path),
        key=f"analytics.cluster:{cluster.pk}",
        title=lambda: _("Emerging cluster in %(sector)s: %(observed)s × %(category)s since %(start)s")
        % {
            "sector": cluster.unit.name,
            "observed": cluster.observed,
            "category": cluster.category_label,
            "start": date_format(cluster.start_date, "SHORT_DATE_FORMAT"),
        },
        link=reverse("analytics:clusters"),
        unit=cluster.unit,
    )


def review_cluster(
    actor: Actor, *, cluster: EmergingCluster, accept: bool, note: str = ""
) -> EmergingCluster:
    """Take an emerging cluster up for problem solving (SARA scanning) or dismiss it."""
    policy.require(actor, "review", cluster.path)
    with transaction.atomic():
        locked = EmergingCluster.objects.select_for_update().get(pk=cluster.pk)
        if locked.status != ClusterStatus.CANDIDATE:
            raise ClusterAlreadyReviewed(_("This cluster has already been reviewed."))
        locked.status = ClusterStatus.ACCEPTED if accept else ClusterStatus.DISMISSED
        locked.note = note.strip()[:500]
        locked.reviewed_by_id = actor.user_id
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["status", "note", "reviewed_by", "reviewed_at"])
    return locked


def run_daily_scan(*, today: date | None = None, replicates: int | None = None) -> int:
    """The prospective scan of every region, for each incident category with
    enough cases and for concerns: new clusters become candidate problems.
    Returns the number of clusters stored or updated."""
    actor = Actor.system()
    end = today or timezone.localdate()
    regions = list(Unit.objects.filter(kind=UnitKind.REGION).order_by("path"))
    stored = 0
    for region in regions:
        for subject in (Subject.INCIDENTS, Subject.CONCERNS):
            scope = analyses.Scope(unit=region, subject=subject, end=end)
            options = dict(analyses.DAILY_SCAN)
            if replicates is not None:
                options["replicates"] = replicates
            for outcome in analyses.scan_by_category(actor, scope, **options):
                stored += len(save_clusters(outcome))
    return stored


# The near-repeat push: a year of each region's incidents per category, tested as the
# analysts' near-repeat page does (analyses.NEAR_REPEAT_DEFAULTS) with fewer permutations,
# which is enough to tell a pattern at the 5 % level.
NEAR_REPEAT_PUSH_DAYS = 365
NEAR_REPEAT_PUSH_MIN_EVENTS = 30
NEAR_REPEAT_PUSH_PERMUTATIONS = 199
# How far back each check of newly recorded incidents looks again: an import's batch
# is stamped when its transaction starts and may commit after a check has passed that
# moment. The notifications' keys keep an event from being told twice.
NEAR_REPEAT_RECHECK = timedelta(minutes=30)


def push_near_repeat_alerts(
    *, today: date | None = None, permutations: int = NEAR_REPEAT_PUSH_PERMUTATIONS
) -> int:
    """Daily: for each region and incident category, test the last year for a
    near-repeat pattern (risk raised around an event for some distance and
    days) and keep the significant ones as NearRepeatPattern, for the check of
    each newly recorded incident (`push_near_repeat_for_new_incidents`). Every
    event still inside its window of raised risk tells the sector team once:
    the radius, the last day of raised risk and the places the records name
    within the radius. Returns the number of notifications written."""
    actor = Actor.system()
    end = today or timezone.localdate()
    start = end - timedelta(days=NEAR_REPEAT_PUSH_DAYS - 1)
    checked = timezone.now()
    told = 0
    for region in Unit.objects.filter(kind=UnitKind.REGION).order_by("path"):
        year = analyses.Scope(unit=region, subject=Subject.INCIDENTS, start=start, end=end)
        points = located(actor, year)
        kept: list[int] = []
        for category in list_categories(Subject.INCIDENTS):
            if int((points.category == category.id).sum()) < NEAR_REPEAT_PUSH_MIN_EVENTS:
                continue
            single = analyses.Scope(
                unit=region, subject=Subject.INCIDENTS, categories=(category.code,), start=start, end=end
            )
            try:
                outcome = analyses.near_repeat(actor, single, permutations=permutations)
            except InvalidInput:  # too many pairs for one table: the analysts' page says so
                log.warning(
                    "near-repeat push: %s in %s is too large for one table", category.code, region.path
                )
                # Not tested today: a pattern found before stays until a test says otherwise.
                kept += NearRepeatPattern.objects.filter(unit=region, category_id=category.id).values_list(
                    "pk", flat=True
                )
                continue
            risk = outcome.risk
            if risk is None:
                continue
            window = risk.days if risk.distance > 0 else (risk.repeat_days or risk.days)
            pattern, _created = NearRepeatPattern.objects.update_or_create(
                unit=region,
                category_id=category.id,
                defaults={
                    "path": region.path,
                    "distance_m": risk.distance,
                    "days": int(window),
                    "ratio": risk.strongest.ratio,
                    "events": outcome.events,
                    "window_start": start,
                    "window_end": end,
                    "checked_until": checked,
                },
            )
            kept.append(pattern.pk)
            for alert in analyses.active_alerts(
                actor, single, distance=pattern.distance_m, days=pattern.days, on=end
            ):
                told += _tell_near_repeat(alert, pattern, end)
        NearRepeatPattern.objects.filter(unit=region).exclude(pk__in=kept).delete()
    return told


def push_near_repeat_for_new_incidents(*, now: datetime | None = None) -> int:
    """Every few minutes: each incident recorded since the last check, in a
    region and category with a stored near-repeat pattern and still inside its
    window of raised risk, tells the sector team now rather than at the next
    day's push. Cheap when nothing was recorded: one indexed query per pattern.
    Returns the number of notifications written."""
    actor = Actor.system()
    now = now or timezone.now()
    today = timezone.localdate(now)
    told = 0
    for pattern in NearRepeatPattern.objects.select_related("unit", "category"):
        scope = analyses.Scope(
            unit=pattern.unit, subject=Subject.INCIDENTS, categories=(pattern.category.code,)
        )
        alerts = analyses.active_alerts(
            actor,
            scope,
            distance=pattern.distance_m,
            days=pattern.days,
            on=today,
            recorded_after=pattern.checked_until - NEAR_REPEAT_RECHECK,
        )
        for alert in alerts:
            told += _tell_near_repeat(alert, pattern, today)
        NearRepeatPattern.objects.filter(pk=pattern.pk, checked_until__lt=now).update(checked_until=now)
    return told


def _tell_near_repeat(alert: "analyses.ActiveAlert", pattern: NearRepeatPattern, end: date) -> int:
    from cpis.incidents.selectors import place_names_near

    sector = Unit.objects.filter(pk=alert.sector_id).first()
    if sector is None:
        return 0
    radius = max(alert.radius_m, 50.0)  # a repeat at the same place: its street
    places = place_names_near(
        Actor.system(),
        lat=alert.lat,
        lon=alert.lon,
        radius_m=radius,
        start=end - timedelta(days=NEAR_REPEAT_PUSH_DAYS - 1),
        end=end,
    )
    category = pattern.category

    def title() -> str:
        values = {
            "category": category.name,
            "day": date_format(alert.day, "SHORT_DATE_FORMAT"),
            "sector": sector.name,
            "radius": f"{alert.radius_m:.0f}",
            "until": date_format(alert.until, "SHORT_DATE_FORMAT"),
        }
        same_day = alert.until <= alert.day  # risk raised on the event's own day only
        if alert.radius_m > 0:
            if same_day:
                return (
                    _(
                        "Near-repeat risk in %(sector)s: %(category)s on %(day)s; raised within %(radius)s m "
                        "on the same day"
                    )
                    % values
                )
            return (
                _(
                    "Near-repeat risk in %(sector)s: %(category)s on %(day)s; raised within %(radius)s m "
                    "until %(until)s"
                )
                % values
            )
        if same_day:
            return (
                _(
                    "Repeat risk in %(sector)s: %(category)s on %(day)s; raised at the same place "
                    "on the same day"
                )
                % values
            )
        return (
            _("Repeat risk in %(sector)s: %(category)s on %(day)s; raised at the same place until %(until)s")
            % values
        )

    def body() -> str:
        text = _(
            "In this region, %(category)s has been followed by more of the same nearby and soon after, "
            "%(ratio)s times as often as chance allows (last 12 months). Visit the neighbours and "
            "patrol the area until the risk passes."
        ) % {"category": category.name, "ratio": f"{pattern.ratio:.1f}"}
        if places:
            text += "\n" + _("Places named in the records within the area: %(places)s.") % {
                "places": ", ".join(places)
            }
        return text

    return len(
        notify(
            kind=NotificationKind.NEAR_REPEAT,
            recipients=notifications.receivers(NotificationKind.NEAR_REPEAT, sector.path),
            key=f"analytics.near_repeat:{category.code}:{alert.day.isoformat()}:{alert.lat:.5f}:{alert.lon:.5f}",
            title=title,
            body=body,
            link=reverse("analytics:near_repeat"),
            unit=sector,
        )
    )


def keep_file_run(
    actor: Actor, *, unit: Unit, kind: str, params: dict[str, Any], result: dict[str, Any]
) -> AnalysisRun:
    """Keep the result of an analysis of an uploaded file (only when its
    reader ticks "keep"): a finished run under `unit`, with the file's name,
    mapping and coordinate systems among its parameters. The file itself is
    not kept."""
    policy.require(actor, "run", unit.path)
    if kind not in RunKind.values:
        raise InvalidInput(_("Unknown analysis."))
    now = timezone.now()
    return AnalysisRun.objects.create(
        kind=kind,
        subject=Subject.INCIDENTS,
        unit=unit,
        path=unit.path,
        params=params,
        status=RunStatus.DONE,
        progress=1.0,
        result=result,
        requested_by_id=actor.user_id,
        language=translation.get_language() or "",
        started_at=now,
        finished_at=now,
    )
