"""An officer's community-policing record for a period, counted from the records
(concerns, forums, outreach, problems, partners, training, assignments), never
typed. Read by the record page and API here and by the performance evaluations
(cpis.appraisals), which show each item beside the criterion it evidences."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cpis.core.errors import InvalidInput
from cpis.core.periods import Period
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer
from cpis.problems.models import Outcome

from . import selectors


@dataclass(frozen=True)
class RecordItem:
    key: str  # one of KEYS
    label: str  # translated, in the active language
    value: float | int | None  # the headline number (None: nothing to count)
    display: str  # the value as a person reads it, e.g. "4 h median, 19 h 90th percentile"
    detail: str = ""  # a short note (counts behind it)
    url: str = ""  # a link to the records behind it, when useful


KEYS = (
    "concerns_handled",
    "first_response",
    "time_to_close",
    "reopened",
    "reporter_feedback",
    "meetings_attended",
    "outreach_delivered",
    "audience_reached",
    "problems_owned",
    "problem_outcomes",
    "partners_engaged",
    "training_completed",
    "tenure",
)


@dataclass(frozen=True)
class RecordFigures:
    """What the record counts, before it is put into words: the same in every
    language (`present_record` words it in the active one)."""

    concerns: selectors.ConcernFigures
    problems: selectors.ProblemFigures
    meetings: int
    outreach: int
    audience: int
    partners: int
    courses: int
    training_days: int
    tenure: selectors.Tenure


@dataclass(frozen=True)
class OfficerRecord:
    officer: Officer
    start: date
    end: date
    items: tuple[RecordItem, ...]  # in KEYS order
    figures: RecordFigures | None = None

    def item(self, key: str) -> RecordItem:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def to_json(self) -> dict[str, Any]:
        return {
            "officer": self.officer.pk,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "items": [
                {"key": item.key, "value": item.value, "display": item.display, "detail": item.detail}
                for item in self.items
            ],
        }


# The longest period a record covers: ten years (a career's record is read in parts).
MAX_DAYS = 3660


def may_view_record(actor: Actor, officer: Officer) -> bool:
    """The officer themself, their chain of command (sector leader, station commander,
    regional director, directorate at or above their sector) and personnel."""
    return selectors.may_view_record(actor, officer)


def officer_record(
    actor: Actor, officer: Officer | int, *, start: date, end: date, request: HttpRequest | None = None
) -> OfficerRecord:
    """Policy-checked (Http404 for those outside the chain), logs the view."""
    if end < start:
        raise InvalidInput(_("The period ends before it starts."))
    if (end - start).days > MAX_DAYS:
        raise InvalidInput(_("A record covers ten years at most."))
    officer_id = officer.pk if isinstance(officer, Officer) else officer
    found = selectors.get_record_officer(actor, officer_id)
    selectors.log_record_view(actor, found, request=request)
    return build_record(found, start=start, end=end)


def _duration(hours: float) -> str:
    if hours < 1:
        return _("%(minutes)d min") % {"minutes": round(hours * 60)}
    if hours < 72:
        return _("%(hours)s h") % {"hours": f"{hours:.0f}" if hours >= 10 else f"{hours:.1f}"}
    return _("%(days)s d") % {"days": f"{hours / 24:.1f}"}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between the closest ranks
    (NumPy's default), of values sorted in order."""
    if not values:
        raise ValueError("no values")
    rank = (len(values) - 1) * q / 100.0
    low = int(rank)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (rank - low)


def _distribution(key: str, label: str, hours: list[float]) -> RecordItem:
    if not hours:
        return RecordItem(key, label, None, _("Nothing to count"))
    median, p90 = percentile(hours, 50), percentile(hours, 90)
    return RecordItem(
        key,
        label,
        round(median, 2),
        _("%(median)s median, %(p90)s 90th percentile")
        % {"median": _duration(median), "p90": _duration(p90)},
        ngettext("%(count)s concern", "%(count)s concerns", len(hours)) % {"count": len(hours)},
    )


def _concern_items(figures: selectors.ConcernFigures) -> list[RecordItem]:
    answers = figures.resolved_answers + figures.not_resolved_answers
    feedback = (
        RecordItem(
            "reporter_feedback",
            _("Reporters' answers after closure"),
            round(100 * figures.resolved_answers / answers, 1),
            _("%(resolved)s resolved, %(not_resolved)s not resolved")
            % {"resolved": figures.resolved_answers, "not_resolved": figures.not_resolved_answers},
            _("%(share)s %% of the answers say resolved")
            % {"share": f"{100 * figures.resolved_answers / answers:.0f}"},
        )
        if answers
        else RecordItem("reporter_feedback", _("Reporters' answers after closure"), None, _("No answers"))
    )
    return [
        RecordItem(
            "concerns_handled",
            _("Concerns handled"),
            figures.handled,
            str(figures.handled),
            _("%(closed)s closed, %(open)s still open")
            % {"closed": figures.closed, "open": figures.handled - figures.closed},
        ),
        _distribution("first_response", _("First response"), figures.first_response_hours),
        _distribution("time_to_close", _("Time to close"), figures.close_hours),
        RecordItem(
            "reopened",
            _("Reopened"),
            figures.reopened,
            str(figures.reopened),
            _("of %(closed)s closed") % {"closed": figures.closed},
        ),
        feedback,
    ]


OUTCOME_ORDER = (
    Outcome.SOLVED,
    Outcome.REDUCED,
    Outcome.DISPLACED,
    Outcome.NOT_SOLVED,
    Outcome.NOT_A_PROBLEM,
)


def _problem_items(figures: selectors.ProblemFigures) -> list[RecordItem]:
    labels = dict(Outcome.choices)
    effect = figures.outcomes.get(Outcome.SOLVED, 0) + figures.outcomes.get(Outcome.REDUCED, 0)
    outcomes = ", ".join(
        _("%(label)s: %(count)s") % {"label": labels[code], "count": figures.outcomes[code]}
        for code in OUTCOME_ORDER
        if figures.outcomes.get(code)
    )
    return [
        RecordItem(
            "problems_owned",
            _("Problems owned"),
            figures.owned,
            str(figures.owned),
            _("%(opened)s opened in the period, %(closed)s closed in it")
            % {"opened": figures.opened, "closed": figures.closed},
        ),
        RecordItem(
            "problem_outcomes",
            _("Problems solved or reduced"),
            effect,
            outcomes or _("None closed"),
            _("%(assessed)s of %(closed)s closed with an assessment; %(fell)s show a fall in the target area")
            % {"assessed": figures.assessed, "closed": figures.closed, "fell": figures.fell},
        ),
    ]


def gather_figures(officer: Officer, *, start: date, end: date) -> RecordFigures:
    """Count the record's figures (the queries; unchecked and unlogged)."""
    period = Period(start, end)
    assignments = selectors.list_assignments(officer)
    outreach, audience = selectors.outreach_figures(officer, period)
    courses, days = selectors.training_figures(officer, period)
    return RecordFigures(
        concerns=selectors.concern_figures(officer, period),
        problems=selectors.problem_figures(officer, period),
        meetings=selectors.count_meetings_attended(officer, period, assignments),
        outreach=outreach,
        audience=audience,
        partners=len(selectors.partners_engaged(officer, period)),
        courses=courses,
        training_days=days,
        tenure=selectors.tenure_on(assignments, end),
    )


def build_record(officer: Officer, *, start: date, end: date) -> OfficerRecord:
    """The record, unchecked and unlogged: callers check and log (officer_record)."""
    return present_record(officer, gather_figures(officer, start=start, end=end), start=start, end=end)


def present_record(officer: Officer, figures: RecordFigures, *, start: date, end: date) -> OfficerRecord:
    """The record's items worded in the active language (no queries)."""
    meetings, outreach, audience = figures.meetings, figures.outreach, figures.audience
    partners, courses, days, tenure = figures.partners, figures.courses, figures.training_days, figures.tenure
    if tenure.months is None or tenure.since is None or tenure.sector is None:
        tenure_item = RecordItem(
            "tenure",
            _("Tenure in the sector"),
            None,
            _("Not assigned to a sector on %(day)s") % {"day": date_format(end)},
        )
    else:
        years, months = divmod(tenure.months, 12)
        tenure_item = RecordItem(
            "tenure",
            _("Tenure in the sector"),
            tenure.months,
            _("%(years)s y %(months)s m") % {"years": years, "months": months},
            _("%(sector)s since %(day)s") % {"sector": tenure.sector.name, "day": date_format(tenure.since)},
            reverse("organisation:sector", kwargs={"sector_id": tenure.sector.pk}),
        )
    items = [
        *_concern_items(figures.concerns),
        RecordItem("meetings_attended", _("Forum meetings attended"), meetings, str(meetings)),
        RecordItem("outreach_delivered", _("Outreach delivered"), outreach, str(outreach)),
        RecordItem("audience_reached", _("Audience reached"), audience, str(audience)),
        *_problem_items(figures.problems),
        RecordItem("partners_engaged", _("Partners engaged"), partners, str(partners)),
        RecordItem(
            "training_completed",
            _("Training completed"),
            courses,
            str(courses),
            ngettext("%(days)s day of training", "%(days)s days of training", days) % {"days": days},
        ),
        tenure_item,
    ]
    assert tuple(item.key for item in items) == KEYS  # noqa: S101 - the contract's order
    return OfficerRecord(officer=officer, start=start, end=end, items=tuple(items), figures=figures)
