"""Demo reports: the last three complete months for the sectors of the demo
sector leader's station, in every state of the chain (approved, in review
at each level, returned and revised, drafts and missing ones), written and
reviewed by the demo logins, with figures counted from the demo records."""

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from cpis.accounts.models import User
from cpis.core.periods import Period
from cpis.notifications.models import Notification
from cpis.organisation.access import Actor
from cpis.organisation.demo import demo_time
from cpis.organisation.models import Role, RoleGrant, Unit, UnitKind

from . import figures, services
from .models import CHAIN, STAGE_ROLE, Decision, Report, Review, Revision, Stage, Status

ISSUES = [
    "Banorët u ankuan për shpejtësinë e veturave pranë shkollës.",
    "Ndriçimi publik mungon në rrugën kryesore; të rinjtë mblidhen natën.",
    "Mosmarrëveshje për kullotat mes dy fshatrave.",
    "Жалбе на буку из кафића после поноћи.",
]
ACTIONS = [
    "Patrullë e përditshme në orët e mëngjesit; takim me drejtorin e shkollës.",
    "Kërkesë komunës për ndriçim; patrullë natën gjatë fundjavës.",
    "Takim i përbashkët me KLSP-në dhe kryetarët e fshatrave.",
    "Састанак са власником и општинском инспекцијом.",
]


def clear_demo() -> None:
    Report.objects.all().delete()


def _at(day: date, hour: int) -> datetime:
    """A moment on `day`, never in the future (the demo may load early in a month)."""
    return min(demo_time(day, hour), timezone.now())


def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    leader_grant = RoleGrant.objects.filter(role=Role.SECTOR_LEADER).select_related("unit", "user").first()
    if leader_grant is None or leader_grant.unit.parent is None:
        return []
    station = leader_grant.unit.parent
    users = {g.role: g.user for g in RoleGrant.objects.select_related("user")}
    sectors = list(Unit.objects.filter(kind=UnitKind.SECTOR, path__startswith=station.path).order_by("path"))
    rng = random.Random(seed * 31 + 7)
    first = today.replace(day=1)
    months = []
    for _step in range(3):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    count = 0
    for age, month in enumerate(reversed(months)):  # oldest first
        end = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        for sector in sectors:
            fate = rng.choices(
                ["approved", "review", "returned", "draft", "missing"],
                weights=[6, 2, 1, 1, 1] if age < 2 else [1, 4, 2, 2, 2],
            )[0]
            if fate == "missing":
                continue
            author = users.get(Role.SECTOR_LEADER) if sector.pk == leader_grant.unit_id else None
            report = Report.objects.create(
                unit=sector, unit_path=sector.path, period_start=month, period_end=end,
                figures=figures.count(sector.path, Period(month, end)), author=author,
                issues=rng.choice(ISSUES), actions=rng.choice(ACTIONS), created_at=_at(end, 9),
            )  # fmt: skip
            count += 1
            if fate == "draft":
                continue
            _submit(report, author, end + timedelta(days=2))
            if fate == "returned":
                comment = "Shtoni takimet me partnerët."
                _decide(report, users, Decision.RETURNED, end + timedelta(days=4), comment)
                _told(services.tell_author(Actor.system(), report, comment), _at(end + timedelta(days=4), 11))
                continue
            stages = len(CHAIN) if fate == "approved" else rng.randint(0, len(CHAIN) - 1)
            for step in range(stages):
                _decide(report, users, Decision.APPROVED, end + timedelta(days=3 + step), "")
            if report.status == Status.SUBMITTED:
                # Told through the real service, dated when the report reached the stage.
                _told(
                    services.tell_reviewers(Actor.system(), report), _at(end + timedelta(days=2 + stages), 11)
                )
    return [f"{count} forum and partner reports for {station.name}, the last three months."]


def _told(notifications: list[Notification], at: datetime) -> None:
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(created_at=at)


def _submit(report: Report, author: User | None, day: date) -> None:
    report.version += 1
    Revision.objects.create(
        report=report, version=report.version, submitted_by=author, submitted_at=_at(day, 10),
        content={
            "figures": report.figures, "issues": report.issues, "actions": report.actions,
            "needs": report.needs, "remarks": report.remarks,
        },
    )  # fmt: skip
    report.status, report.stage, report.submitted_at = Status.SUBMITTED, CHAIN[0], _at(day, 10)
    report.save()


def _decide(report: Report, users: dict[str, User], decision: str, day: date, comment: str) -> None:
    stage = Stage(report.stage)
    Review.objects.create(
        report=report, version=report.version, stage=stage, decision=decision, comment=comment,
        reviewer=users.get(STAGE_ROLE[stage]), at=_at(day, 11),
    )  # fmt: skip
    if decision == Decision.RETURNED:
        report.status, report.stage = Status.RETURNED, Stage.AUTHOR
    else:
        position = CHAIN.index(stage)
        if position + 1 < len(CHAIN):
            report.stage = CHAIN[position + 1]
        else:
            report.status, report.stage, report.approved_at = Status.APPROVED, Stage.DONE, _at(day, 12)
    report.save()
