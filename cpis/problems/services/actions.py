"""Writes of a problem's response: actions with what is to be done, the
situational crime-prevention technique it uses, its owner (an officer of the
station or a partner of the place), an optional forum, a due date, a status
and the evidence that it was done. The owner, the team's officers and the
leads of the place may; every change goes to the problem's history in the
same transaction, and bad input changes nothing."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.core.text import check_choice, clean_text
from cpis.forums.models import Forum
from cpis.notifications.models import Kind as NotificationKind
from cpis.notifications.services import notify
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer
from cpis.partners.models import Partner

from ..models import Action, ActionStatus, Problem, Technique
from ..selectors import actions as selectors
from .history import record
from .problems import require_open, require_work


@dataclass(frozen=True)
class ActionInput:
    """What an action says; `status` DONE needs `done_on` and `evidence`."""

    title: str
    technique: str
    due_on: date | None
    description: str = ""
    owner_officer: Officer | None = None
    owner_partner: Partner | None = None
    forum: Forum | None = None
    status: str = ActionStatus.PLANNED
    done_on: date | None = None
    evidence: str = ""


def _checked(
    actor: Actor, problem: Problem, data: ActionInput, action: Action | None = None
) -> dict[str, object]:
    """The action's fields from the input, or InvalidInput for the first rule broken."""
    choices = selectors.action_choices(actor, problem, action)
    if (data.owner_officer is None) == (data.owner_partner is None):
        raise InvalidInput(_("Choose who owns the action: an officer or a partner."))
    if data.owner_officer is not None and choices.officer(data.owner_officer.pk) is None:
        raise InvalidInput(_("Choose an officer of the problem's team or station as the owner."))
    if data.owner_partner is not None and choices.partner(data.owner_partner.pk) is None:
        raise InvalidInput(_("Choose a partner of the problem's team or place as the owner."))
    if data.forum is not None and choices.forum(data.forum.pk) is None:
        raise InvalidInput(_("Choose a forum of the problem's team or place."))
    if data.due_on is None:
        raise InvalidInput(_("Give the date the action is due."))
    status = check_choice(data.status, ActionStatus.values, _("Choose the action's status."))
    evidence = clean_text(data.evidence, limit=10_000, required=False)
    done_on = None
    if status == ActionStatus.DONE:
        done_on = _done_on(data.done_on)
        evidence = clean_text(
            evidence,
            limit=10_000,
            required=True,
            missing=_("Say what shows the action was done: the evidence."),
        )
    return {
        "title": clean_text(data.title, limit=300, required=True, missing=_("Say what is to be done.")),
        "description": clean_text(data.description, limit=10_000, required=False),
        "technique": check_choice(
            data.technique, Technique.values, _("Choose the situational crime-prevention technique.")
        ),
        "owner_officer": data.owner_officer,
        "owner_partner": data.owner_partner,
        "forum": data.forum,
        "due_on": data.due_on,
        "status": status,
        "done_on": done_on,
        "evidence": evidence,
    }


def _done_on(done_on: date | None) -> date:
    if done_on is None:
        raise InvalidInput(_("Give the date the action was done."))
    if done_on > timezone.localdate():
        raise InvalidInput(_("The date the action was done cannot be in the future."))
    return done_on


def _problem_of(action: Action) -> Problem:
    """The action's problem as it is now (its stage decides whether it may change)."""
    return Problem.objects.select_related("unit").get(pk=action.problem_id)


@transaction.atomic
def add_action(actor: Actor, *, problem: Problem, data: ActionInput) -> Action:
    """Add an action to the problem's response."""
    require_work(actor, problem)
    require_open(problem)
    action = Action.objects.create(
        problem=problem, created_by_id=actor.user_id, **_checked(actor, problem, data)
    )
    record(
        problem,
        actor,
        "action_added",
        note=action.title,
        technique=action.technique,
        owner=str(action.owner_officer or action.owner_partner),
        due_on=action.due_on.isoformat(),
    )
    return action


@transaction.atomic
def update_action(actor: Actor, *, action: Action, data: ActionInput) -> Action:
    """Change an action: what, how, who, by when, its status and evidence."""
    problem = _problem_of(action)
    require_work(actor, problem)
    require_open(problem)
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("owner_officer", "owner_partner", "forum")
        .get(pk=action.pk)
    )
    new = _checked(actor, problem, data, action)
    changed = [name for name, value in new.items() if getattr(action, name) != value]
    if not changed:
        return action
    previous = action.status
    for name in changed:
        setattr(action, name, new[name])
    action.save()
    details: dict[str, object] = {"note": action.title, "fields": changed}
    if "status" in changed:
        details |= {"from": previous, "to": action.status}
    record(problem, actor, "action_changed", **details)
    return action


@transaction.atomic
def complete_action(actor: Actor, *, action: Action, done_on: date | None, evidence: str) -> Action:
    """Mark an open action done, on the day it was done and with the evidence."""
    problem = _problem_of(action)
    require_work(actor, problem)
    require_open(problem)
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.status not in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS):
        raise InvalidInput(_("Only a planned action or one in progress can be marked done."))
    day = _done_on(done_on)
    text = clean_text(
        evidence, limit=10_000, required=True, missing=_("Say what shows the action was done: the evidence.")
    )
    previous = action.status
    action.status, action.done_on, action.evidence = ActionStatus.DONE, day, text
    action.save(update_fields=["status", "done_on", "evidence", "updated_at"])
    record(
        problem,
        actor,
        "action_done",
        note=action.title,
        done_on=action.done_on.isoformat(),
        **{"from": previous},
    )
    return action


# An action is recalled when it falls due within this many days (today included).
DUE_WITHIN_DAYS = 2


def _due_title(action: Action) -> str:
    return _("Action of the problem “%(problem)s” due on %(date)s: %(action)s") % {
        "problem": action.problem.title,
        "date": date_format(action.due_on, "SHORT_DATE_FORMAT"),
        "action": action.title[:120],
    }


def notify_due_actions(*, today: date | None = None) -> int:
    """Tell the officer who owns each open action due from today to
    DUE_WITHIN_DAYS days on, once per action and due date (partners have no
    account to be told in). Returns how many were told."""
    today = today or timezone.localdate()
    due = (
        Action.objects.open()
        .filter(
            due_on__gte=today,
            due_on__lte=today + timedelta(days=DUE_WITHIN_DAYS),
            owner_officer__user__is_active=True,
        )
        .select_related("owner_officer__user", "problem__unit")
        .order_by("due_on", "pk")
    )
    told = 0
    for action in due:
        problem = action.problem
        told += bool(
            notify(
                kind=NotificationKind.ACTION_DUE,
                recipients=[action.owner_officer.user] if action.owner_officer else [],
                key=f"problems.action:{action.pk}:due:{action.due_on.isoformat()}",
                title=partial(_due_title, action),
                link=reverse("problems:response", args=[problem.pk]),
                unit=problem.unit,
            )
        )
    return told
