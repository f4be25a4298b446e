"""Demo data for the action plan: the real 2012–2016 plan, concerns from
those years for the counted indicators, an account per officer and who
confirmed reading the strategy, five years of progress reports (most on
time, some late, a few cancelled or never finished), hand-entered values
and targets, and signed six-monthly evaluations with a draft after them."""

import io
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from fpdf import FPDF

from cpis.concerns.demo import add_demo_concerns
from cpis.core.periods import Period, half_years, parse_label
from cpis.organisation.demo import delete_demo_rows, demo_time
from cpis.organisation.models import Officer, Role, RoleGrant, Unit, UnitKind
from cpis.organisation.selectors import get_root_unit

from . import selectors
from .models import (
    Acknowledgement,
    Activity,
    DueRule,
    Evaluation,
    EvaluationState,
    Evidence,
    Indicator,
    IndicatorUnit,
    IndicatorValue,
    Narrative,
    Plan,
    ProgressStatus,
    ProgressUpdate,
    Reminder,
    ResponsibleKind,
    ReviewOutcome,
)
from .services import load_plan_data
from .spec import load_data_file

HISTORY = {"national": 25_000, "standard": 25_000, "small": 2_500}
OFFICER_USER_PREFIX = "officer-"
SIGNED_PERIODS = ["2012 H2", "2013 H2", "2014 H2", "2015 H2"]
DRAFT_PERIOD = "2016 H1"

NARRATIVES = {
    "1": "Udhëheqja e ka mbështetur strategjinë: koordinatori dhe grupi punues janë emëruar, PSV-të janë rishikuar. "
    "Trajnimet e specializuara kanë vonesë për shkak të mungesës së donacioneve.",
    "2": "Partneritetet në nivel lokal janë zgjeruar; KLSP-të mbahen në shumicën e stacioneve. "
    "Muzeu i policisë mbetet pa buxhet dhe është shtyrë.",
    "3": "Zgjidhja e problemeve me modelin SARA po përdoret në gjithnjë e më shumë stacione; "
    "bashkëpunimi kufitar vazhdon sipas marrëveshjeve.",
}
NOTES = {
    ProgressStatus.IN_PROGRESS: [
        "Puna ka filluar; takimi i parë i grupit u mbajt.",
        "Drafti është në shqyrtim te drejtoria.",
        "Aktivitetet vazhdojnë sipas planit.",
    ],
    ProgressStatus.DONE: ["Aktiviteti u përfundua; dokumentet janë bashkëngjitur.", "U krye dhe u raportua."],
    ProgressStatus.DELAYED: ["Vonesë për shkak të mungesës së stafit.", "Pritet miratimi i buxhetit."],
    ProgressStatus.CANCELLED: ["Anuluar me vendim të drejtorisë: mungojnë mjetet."],
}


def clear_demo() -> None:
    delete_demo_rows(Reminder, Evaluation, Evidence, Plan)
    get_user_model().objects.filter(username__startswith=OFFICER_USER_PREFIX).delete()


def _pdf(title: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=title)
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


class _History:
    def __init__(self, plan: Plan, rng: random.Random, today: date) -> None:
        self.plan, self.rng, self.today = plan, rng, today
        self.root: Unit | None = get_root_unit()
        self.by_kind: dict[str, list[Unit]] = {}
        for unit in Unit.objects.filter(kind__in=[UnitKind.REGION, UnitKind.STATION]).order_by("path"):
            self.by_kind.setdefault(unit.kind, []).append(unit)
        grants = RoleGrant.objects.select_related("user")
        self.coordinator = next((g.user for g in grants if g.role == Role.STRATEGY_COORDINATOR), None)
        self.director = next((g.user for g in grants if g.role == Role.DIRECTORATE), None)
        self.updates: list[ProgressUpdate] = []

    def reporter(self, activity: Activity) -> Unit | None:
        levels = [r.level for r in activity.responsibles.all() if r.kind == ResponsibleKind.LEVEL]
        if any(r.kind == ResponsibleKind.ALL for r in activity.responsibles.all()):
            levels.append(UnitKind.STATION)
        for level in levels:
            if level in self.by_kind:
                return self.rng.choice(self.by_kind[level])
        return self.root

    def add(self, activity: Activity, unit: Unit, status: str, day: date, percent: int | None = None) -> None:
        if day > min(self.today, self.plan.period_end + timedelta(days=60)) or day < self.plan.approved_on:
            return
        reviewed = day + timedelta(days=self.rng.randint(3, 20))
        returned = self.rng.random() < 0.04
        self.updates.append(
            ProgressUpdate(
                activity=activity,
                unit=unit,
                unit_path=unit.path,
                status=status,
                percent=percent,
                narrative=self.rng.choice(NOTES[ProgressStatus(status)]),
                reported_on=day,
                created_at=demo_time(day),
                author=self.coordinator,
                review=ReviewOutcome.RETURNED if returned else ReviewOutcome.ACCEPTED,
                review_note="Mungon dëshmia; ju lutemi bashkëngjitni vendimin." if returned else "",
                reviewed_by=self.director,
                reviewed_at=demo_time(reviewed, 14),
            )
        )

    def dated(self, activity: Activity, unit: Unit) -> None:
        """A deadline: started some months before, then done on time (most),
        late, cancelled or never finished."""
        due = activity.due_date or self.plan.approved_on
        start = max(self.plan.approved_on, due - timedelta(days=self.rng.randint(30, 180)))
        self.add(activity, unit, ProgressStatus.IN_PROGRESS, start, 10)
        fate = self.rng.choices(["on_time", "late", "cancelled", "open"], weights=[62, 26, 5, 7])[0]
        if fate == "on_time":
            middle = start + (due - start) / 2
            self.add(activity, unit, ProgressStatus.IN_PROGRESS, middle, 60)
            done = due - timedelta(days=self.rng.randint(0, 20))
            if done <= start:  # "upon approval": done in the first weeks
                done = start + timedelta(days=self.rng.randint(3, 25))
            self.add(activity, unit, ProgressStatus.DONE, done, 100)
        elif fate == "late":
            self.add(
                activity, unit, ProgressStatus.DELAYED, due + timedelta(days=self.rng.randint(5, 40)), 50
            )
            self.add(
                activity, unit, ProgressStatus.DONE, due + timedelta(days=self.rng.randint(60, 400)), 100
            )
        elif fate == "cancelled":
            self.add(activity, unit, ProgressStatus.CANCELLED, due - timedelta(days=self.rng.randint(0, 30)))
        else:
            self.add(
                activity, unit, ProgressStatus.DELAYED, due + timedelta(days=self.rng.randint(10, 90)), 30
            )

    def ongoing(self, activity: Activity, unit: Unit) -> None:
        """Reported every half-year or so; some units fall silent for a while."""
        for period in half_years(self.plan.approved_on, self.plan.period_end):
            if self.rng.random() < 0.82:
                day = period.end - timedelta(days=self.rng.randint(0, 25))
                self.add(activity, unit, ProgressStatus.IN_PROGRESS, day)

    def police_day(self, activity: Activity, unit: Unit) -> None:
        month, day = selectors.police_day(2000).month, selectors.police_day(2000).day
        for year in range(self.plan.period_start.year, self.plan.period_end.year + 1):
            if self.rng.random() < 0.85:  # one year or so without an open gate
                self.add(activity, unit, ProgressStatus.DONE, date(year, month, day) + timedelta(days=2), 100)


@transaction.atomic
def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    if not Unit.objects.exists():
        return []
    plan, _created = load_plan_data(load_data_file())
    rng = random.Random(seed * 13 + 5)
    history_count = add_demo_concerns(
        count=HISTORY[scale],
        start=plan.period_start,
        days=(plan.period_end - plan.period_start).days + 1,
        seed=seed + 1,
        today=today,
    )
    informed = _officer_accounts(plan, rng)
    history = _History(plan, rng, today)
    activities = list(
        Activity.objects.filter(plan=plan).prefetch_related("responsibles").order_by("position")
    )
    for activity in activities:
        unit = history.reporter(activity)
        if unit is None:
            continue
        if activity.due_rule == DueRule.ONGOING:
            history.ongoing(activity, unit)
        elif activity.due_rule == DueRule.POLICE_DAY:
            history.police_day(activity, unit)
        else:
            history.dated(activity, unit)
    ProgressUpdate.objects.bulk_create(history.updates, batch_size=2000)
    _evidence(history.updates[:: max(1, len(history.updates) // 25)])
    _indicators(plan, rng, history.coordinator)
    evaluations = _evaluations(plan, history.coordinator, history.director)
    return [
        f"Action plan: {len(activities)} activities, {len(history.updates)} progress reports 2012–2016, "
        f"{history_count} concerns from those years, {informed} officers informed, {evaluations} evaluations."
    ]


def _officer_accounts(plan: Plan, rng: random.Random) -> int:
    """An account per officer (no password: they sign in through the
    service's own login once it is connected), and who confirmed reading the
    strategy, most within the 45 days of 1.4.3."""
    User = get_user_model()
    officers = list(Officer.objects.filter(user__isnull=True, is_active=True).order_by("pk"))
    users = [
        User(username=f"{OFFICER_USER_PREFIX}{o.badge_number}", password="!", is_active=True)
        for o in officers
    ]
    User.objects.bulk_create(users, batch_size=1000)
    by_name = dict(
        User.objects.filter(username__startswith=OFFICER_USER_PREFIX).values_list("username", "pk")
    )
    for officer in officers:
        officer.user_id = by_name[f"{OFFICER_USER_PREFIX}{officer.badge_number}"]
    Officer.objects.bulk_update(officers, ["user"], batch_size=1000)
    acknowledgements = []
    for officer in officers:
        roll = rng.random()
        if roll < 0.7:
            days = rng.randint(1, 45)
        elif roll < 0.92:
            days = rng.randint(46, 540)
        else:
            continue
        if officer.user_id is None:
            continue
        acknowledgements.append(
            Acknowledgement(
                plan=plan, user_id=officer.user_id, at=demo_time(plan.approved_on + timedelta(days=days))
            )
        )
    Acknowledgement.objects.bulk_create(acknowledgements, batch_size=1000)
    return len(acknowledgements)


def _evidence(updates: list[ProgressUpdate]) -> None:
    for update in updates:
        if update.pk is None:
            continue
        name = f"raporti-{update.activity.code}-{update.reported_on:%Y%m%d}.pdf"
        data = _pdf(f"{update.activity.code} - {update.reported_on:%d.%m.%Y}")
        evidence = Evidence(update=update, name=name, content_type="application/pdf", size=len(data))
        evidence.file.save(name, ContentFile(data), save=False)
        evidence.save()


def _indicators(plan: Plan, rng: random.Random, user: Any) -> None:
    """Targets for most counted and hand-kept indicators, and hand-entered
    values every half-year (a few gaps, as in real reporting)."""
    periods = half_years(plan.period_start, plan.period_end)
    values = []
    for indicator in Indicator.objects.filter(activity__plan=plan).select_related("activity"):
        if indicator.unit == IndicatorUnit.COUNT:
            base = rng.choice([4, 8, 12, 20, 40, 80])
            indicator.target = Decimal(base)
        elif indicator.unit == IndicatorUnit.PERCENT:
            indicator.target = Decimal(100)
        else:
            indicator.target = Decimal(1)
        indicator.save(update_fields=["target"])
        if indicator.source:
            continue
        done_from = rng.randint(0, 6)
        for index, period in enumerate(periods):
            if rng.random() < 0.12:
                continue
            if indicator.unit == IndicatorUnit.YES_NO:
                value = Decimal(1 if index >= done_from else 0)
            elif indicator.unit == IndicatorUnit.PERCENT:
                value = Decimal(min(100, 20 + index * 10 + rng.randint(-5, 5)))
            else:
                growth = 0.6 + 0.08 * index
                value = Decimal(max(0, round(float(indicator.target or 0) * growth * rng.uniform(0.7, 1.2))))
            values.append(
                IndicatorValue(
                    indicator=indicator,
                    period_start=period.start,
                    period_end=period.end,
                    value=value,
                    entered_by=user,
                    entered_at=demo_time(period.end + timedelta(days=rng.randint(5, 25))),
                )
            )
    IndicatorValue.objects.bulk_create(values, batch_size=2000)


def _evaluations(plan: Plan, coordinator: Any, director: Any) -> int:
    """The national evaluations (signed, and the last a draft) and the first
    region's draft of the last half-year, each with the elements' sections."""
    count = 0
    root = get_root_unit()
    region = Unit.objects.filter(kind=UnitKind.REGION).order_by("path").first()
    places = [(label, root) for label in [*SIGNED_PERIODS, DRAFT_PERIOD]]
    if region is not None:
        places.append((DRAFT_PERIOD, region))
    for label, unit in places:
        period: Period = parse_label(label)
        frozen_at = demo_time(period.end + timedelta(days=14))
        snapshot = selectors.build_snapshot(
            plan, period, unit=unit, frozen_by=coordinator, frozen_at=frozen_at
        )
        evaluation = Evaluation.objects.create(
            plan=plan,
            unit=unit,
            unit_path=unit.path,
            period_start=period.start,
            period_end=period.end,
            snapshot=snapshot,
            frozen_by=coordinator,
            frozen_at=frozen_at,
        )
        if label in SIGNED_PERIODS and unit == root:
            for goal in snapshot["goals"]:
                Narrative.objects.create(
                    evaluation=evaluation,
                    goal_number=goal["number"],
                    text=NARRATIVES[goal["number"]],
                    author=director,
                )
            evaluation.state = EvaluationState.SIGNED
            evaluation.signed_at = demo_time(period.end + timedelta(days=30), 15)
            evaluation.signed_by = director
            evaluation.save()
        count += 1
    return count
