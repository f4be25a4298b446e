"""Writes for the reporting chain: start a sector's monthly report with its
figures counted from the records, edit it, submit it, and approve or return
it at each level [2.4.3, 2.4.4]. A returned report goes back to its author,
is revised and resubmitted, and starts up the chain again; every version
and every decision stays."""

import calendar
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.periods import Period
from cpis.core.text import clean_text
from cpis.notifications import selectors as notifications
from cpis.notifications.models import Kind as NotificationKind
from cpis.notifications.models import Notification
from cpis.notifications.services import notify
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from . import figures, selectors
from .models import CHAIN, STAGE_ROLE, Decision, Report, Review, Revision, Stage, Status
from .policy import may_review, policy

TEXT_LIMIT = 4000
# The strategy's first year: nothing was reported through the chain before it.
EARLIEST_MONTH = date(2012, 1, 1)


class NotASector(DomainError):
    message = gettext_lazy("Reports are written for a sector.")


class MonthNotStarted(DomainError):
    message = gettext_lazy("A report can be written only for a month from January 2012 that has begun.")


class MonthNotOver(DomainError):
    message = gettext_lazy("A month's report can be submitted once the month is over.")


class NotEditable(DomainError):
    message = gettext_lazy("This report is in review and cannot be changed now.")


class NotYourStage(DomainError):
    message = gettext_lazy("This report is not waiting for your review.")


class AlreadyDecided(DomainError):
    message = gettext_lazy("Someone has just decided on this version of the report. Reload the page.")


class SelfReview(DomainError):
    message = gettext_lazy("You submitted or already approved this version; another person must review it.")


class ReasonRequired(DomainError):
    message = gettext_lazy("Say why the report is returned.")


class EmptyReport(DomainError):
    message = gettext_lazy("Describe at least the issues raised or the actions taken before submitting.")


def month_of(day: date) -> Period:
    return Period(day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]))


@transaction.atomic
def start_report(actor: Actor, *, unit: Unit, month: date) -> Report:
    """The sector's report for the month, started with its figures if it does
    not exist yet. Sector leader (or station coordinator) of the sector."""
    policy.require(actor, "write", unit.path)
    if unit.kind != UnitKind.SECTOR:
        raise NotASector()
    period = month_of(month)
    if period.start > timezone.localdate() or period.start < EARLIEST_MONTH:
        raise MonthNotStarted()
    report, _created = Report.objects.get_or_create(
        unit=unit,
        period_start=period.start,
        defaults={
            "unit_path": unit.path,
            "period_end": period.end,
            "figures": figures.count(unit.path, period),
            "author_id": actor.user_id,
        },
    )
    return report


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("unit").get(pk=report.pk)


@transaction.atomic
def save_report(
    actor: Actor,
    *,
    report: Report,
    issues: str,
    actions: str,
    needs: str,
    remarks: str,
    refresh: bool = False,
) -> Report:
    """Edit a draft or returned report; `refresh` counts the figures again."""
    report = _lock(report)
    policy.require(actor, "write", report.unit_path)
    if not report.is_editable:
        raise NotEditable()
    report.issues = clean_text(issues, limit=TEXT_LIMIT, required=False)
    report.actions = clean_text(actions, limit=TEXT_LIMIT, required=False)
    report.needs = clean_text(needs, limit=TEXT_LIMIT, required=False)
    report.remarks = clean_text(remarks, limit=TEXT_LIMIT, required=False)
    if refresh:
        report.figures = figures.count(report.unit_path, Period(report.period_start, report.period_end))
    report.author_id = actor.user_id
    report.save()
    return report


def _content(report: Report) -> dict[str, object]:
    return {
        "figures": report.figures,
        "issues": report.issues,
        "actions": report.actions,
        "needs": report.needs,
        "remarks": report.remarks,
    }


@transaction.atomic
def submit_report(actor: Actor, *, report: Report) -> Report:
    """Send the report up the chain; the version is kept as a revision."""
    report = _lock(report)
    policy.require(actor, "write", report.unit_path)
    if not report.is_editable:
        raise NotEditable()
    if not (report.issues or report.actions):
        raise EmptyReport()
    if report.period_end >= timezone.localdate():
        raise MonthNotOver()
    # What goes up the chain is counted from the records as they stand now.
    report.figures = figures.count(report.unit_path, Period(report.period_start, report.period_end))
    report.version += 1
    Revision.objects.create(
        report=report, version=report.version, content=_content(report), submitted_by_id=actor.user_id
    )
    report.status, report.stage = Status.SUBMITTED, CHAIN[0]
    report.submitted_at = timezone.now()
    report.save()
    tell_reviewers(actor, report)
    return report


def _month(report: Report) -> str:
    return date_format(report.period_start, "YEAR_MONTH_FORMAT")


def tell_reviewers(actor: Actor, report: Report) -> list[Notification]:
    """The holders of the role of the stage the report now waits at, over its
    sector, are told (not one who submitted or approved this version)."""
    role = STAGE_ROLE[Stage(report.stage)]
    reviewers = [
        user
        for user in notifications.holders(frozenset({role}), report.unit_path)
        if not selectors.took_part(Actor.for_user(user), report)
    ]
    return notify(
        kind=NotificationKind.REPORT_TO_REVIEW,
        recipients=reviewers,
        key=f"report:{report.pk}:v{report.version}:{report.stage}",
        title=lambda: _("The report of %(sector)s for %(month)s waits for your review")
        % {"sector": report.unit.name, "month": _month(report)},
        link=reverse("reporting:detail", args=[report.pk]),
        unit=report.unit,
        actor=actor,
    )


def tell_author(actor: Actor, report: Report, comment: str) -> list[Notification]:
    """Whoever wrote and submitted the returned version is told, with the reason."""
    submitted = report.revisions.filter(version=report.version).values_list("submitted_by_id", flat=True)
    authors = get_user_model().objects.filter(pk__in={report.author_id, *submitted} - {None})
    return notify(
        kind=NotificationKind.REPORT_RETURNED,
        recipients=authors,
        key=f"report:{report.pk}:v{report.version}:returned",
        title=lambda: _("The report of %(sector)s for %(month)s was returned to you")
        % {"sector": report.unit.name, "month": _month(report)},
        body=comment,
        link=reverse("reporting:detail", args=[report.pk]),
        unit=report.unit,
        actor=actor,
    )


@transaction.atomic
def review_report(
    actor: Actor, *, report: Report, decision: str, comment: str, version: int, stage: str
) -> Report:
    """Approve (on to the next level; the directorate's approval ends it) or
    return to the author with the reason. Only the role of the stage the
    report waits at, at or above its sector; `version` is the one the
    reviewer read and `stage` the step it was at, so two reviewers cannot
    both decide it."""
    report = _lock(report)
    if report.status != Status.SUBMITTED or report.version != version or report.stage != stage:
        raise AlreadyDecided()
    if not may_review(actor, report.stage, report.unit_path):
        policy.require(actor, "view", report.unit_path)
        raise NotYourStage()
    if decision not in Decision.values:
        raise InvalidInput(_("Approve the report or return it."))
    if selectors.took_part(actor, report):
        raise SelfReview()
    comment = clean_text(comment, limit=TEXT_LIMIT, required=False)
    if decision == Decision.RETURNED and not comment:
        raise ReasonRequired()
    try:
        with transaction.atomic():
            Review.objects.create(
                report=report, version=report.version, stage=report.stage, decision=decision, comment=comment,
                reviewer_id=actor.user_id,
            )  # fmt: skip
    except IntegrityError:
        raise AlreadyDecided() from None
    if decision == Decision.RETURNED:
        report.status, report.stage = Status.RETURNED, Stage.AUTHOR
    else:
        position = CHAIN.index(Stage(report.stage))
        if position + 1 < len(CHAIN):
            report.stage = CHAIN[position + 1]
        else:
            report.status, report.stage, report.approved_at = Status.APPROVED, Stage.DONE, timezone.now()
    report.save()
    if report.status == Status.RETURNED:
        tell_author(actor, report, comment)
    elif report.status == Status.SUBMITTED:
        tell_reviewers(actor, report)
    return report
