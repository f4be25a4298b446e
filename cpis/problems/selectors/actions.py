"""Reads of problems' responses: a problem's actions, who may own one (the
team first, then the officers of the station and the partners of the
place), the forums to name, and the actions across the actor's places —
the owner's and the station's lists, overdue ones counted and shown first."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.core.http import one_or_404
from cpis.forums import selectors as forums
from cpis.forums.models import Forum
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Unit
from cpis.partners import selectors as partners
from cpis.partners.models import Partner

from ..models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionQuerySet,
    ActionStatus,
    MemberKind,
    Problem,
    TeamMember,
)
from ..policy import policy
from .problems import list_owner_choices

# The list's status filter: the open ones (the default), every action, or one status.
OPEN, EVERY = "open", "all"


@dataclass(frozen=True)
class ActionFilters:
    mine: bool = False  # actions the actor's officer profile owns
    unit: Unit | None = None  # actions of problems at this place or under it
    status: str = OPEN
    overdue: bool = False


def visible_actions(actor: Actor) -> ActionQuerySet:
    """Actions of the problems the actor may see."""
    return Action.objects.filter(policy.scope(actor, "view", "problem__unit_path"))


def filtered_actions(actor: Actor, filters: ActionFilters, *, today: date | None = None) -> ActionQuerySet:
    actions = visible_actions(actor)
    if filters.mine:
        if actor.user_id is None:
            return actions.none()
        actions = actions.filter(owner_officer__user_id=actor.user_id)
    if filters.unit is not None:
        actions = actions.filter(problem__unit_path__startswith=filters.unit.path)
    if filters.overdue:
        actions = actions.overdue(today)
    elif filters.status == OPEN:
        actions = actions.open()
    elif filters.status in ActionStatus.values:
        actions = actions.filter(status=filters.status)
    return actions


def list_actions(actor: Actor, filters: ActionFilters, *, today: date | None = None) -> QuerySet[Action]:
    """The actions of the actor's places that match, by due date (so overdue
    ones come first), with what a row shows in a fixed number of queries."""
    return (
        filtered_actions(actor, filters, today=today)
        .select_related("problem", "problem__unit", "owner_officer", "owner_partner", "forum")
        .order_by("due_on", "id")
    )


def count_overdue(
    actor: Actor, *, mine: bool = False, unit: Unit | None = None, today: date | None = None
) -> int:
    """Open actions past their due date on the actor's places (or the actor's
    own, `mine`): for the owner's and the station's home pages."""
    return filtered_actions(actor, ActionFilters(mine=mine, unit=unit, overdue=True), today=today).count()


def list_problem_actions(problem: Problem) -> QuerySet[Action]:
    return (
        Action.objects.filter(problem=problem)
        .select_related("owner_officer", "owner_partner", "forum")
        .order_by("due_on", "id")
    )


def get_action(problem: Problem, action_id: int) -> Action:
    """An action of this problem (the problem already checked); 404 otherwise."""
    return one_or_404(
        Action.objects.filter(problem=problem).select_related("owner_officer", "owner_partner", "forum"),
        pk=action_id,
    )


def is_overdue(action: Action, today: date | None = None) -> bool:
    return action.status in OPEN_ACTION_STATUSES and action.due_on < (today or timezone.localdate())


# --- who may own an action, and the forums to name ------------------------------------


@dataclass(frozen=True)
class Choices:
    """Owners and forums to offer, the problem's team first: its owner and
    team officers, then the officers of its station; its team partners and
    forums, then those the actor may see that serve its place (held at it,
    under it or above it)."""

    team_officers: list[Officer] = field(default_factory=list)
    officers: list[Officer] = field(default_factory=list)
    team_partners: list[Partner] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    team_forums: list[Forum] = field(default_factory=list)
    forums: list[Forum] = field(default_factory=list)

    def officer(self, pk: int | None) -> Officer | None:
        return next((o for o in [*self.team_officers, *self.officers] if o.pk == pk), None)

    def partner(self, pk: int | None) -> Partner | None:
        return next((p for p in [*self.team_partners, *self.partners] if p.pk == pk), None)

    def forum(self, pk: int | None) -> Forum | None:
        return next((f for f in [*self.team_forums, *self.forums] if f.pk == pk), None)


def action_choices(actor: Actor, problem: Problem, action: Action | None = None) -> Choices:
    """Who may own an action of the problem and which forum it may name; an
    action's current owner and forum stay on offer when it is changed."""
    team = list(
        TeamMember.objects.filter(
            problem=problem, kind__in=[MemberKind.OFFICER, MemberKind.PARTNER, MemberKind.FORUM]
        )
        .select_related("officer", "partner", "forum")
        .order_by("id")
    )
    team_officers = [m.officer for m in team if m.officer is not None]
    if problem.owner is not None and problem.owner.pk not in {o.pk for o in team_officers}:
        team_officers.insert(0, problem.owner)
    team_partners = [m.partner for m in team if m.partner is not None]
    team_forums = [m.forum for m in team if m.forum is not None]
    on_team = {o.pk for o in team_officers}
    officers = [o for o in list_owner_choices(problem.unit) if o.pk not in on_team]
    team_partner_ids, team_forum_ids = {p.pk for p in team_partners}, {f.pk for f in team_forums}
    place_partners = [
        p for p in partners.list_partners_for_place(actor, problem.unit) if p.pk not in team_partner_ids
    ]
    place_forums = [
        f for f in forums.list_forums_for_place(actor, problem.unit) if f.pk not in team_forum_ids
    ]
    if action is not None:
        if action.owner_officer is not None and action.owner_officer.pk not in on_team | {
            o.pk for o in officers
        }:
            officers.append(action.owner_officer)
        if action.owner_partner is not None and action.owner_partner.pk not in {
            p.pk for p in [*team_partners, *place_partners]
        }:
            place_partners.append(action.owner_partner)
        if action.forum is not None and action.forum.pk not in {f.pk for f in [*team_forums, *place_forums]}:
            place_forums.append(action.forum)
    return Choices(
        team_officers=team_officers,
        officers=officers,
        team_partners=team_partners,
        partners=place_partners,
        team_forums=team_forums,
        forums=place_forums,
    )


def owners_by_id(
    actor: Actor, problem: Problem, *, officer_id: int | None, partner_id: int | None, forum_id: int | None
) -> dict[str, Any]:
    """An API call's owner and forum by id, from what the form would offer;
    InvalidInput naming what is not on offer."""
    choices = action_choices(actor, problem)
    found = {
        "owner_officer": choices.officer(officer_id) if officer_id else None,
        "owner_partner": choices.partner(partner_id) if partner_id else None,
        "forum": choices.forum(forum_id) if forum_id else None,
    }
    if officer_id and found["owner_officer"] is None:
        raise InvalidInput(_("Choose an officer of the problem's station as the owner."))
    if partner_id and found["owner_partner"] is None:
        raise InvalidInput(_("Choose a partner of the problem's place as the owner."))
    if forum_id and found["forum"] is None:
        raise InvalidInput(_("Choose a forum of the problem's place."))
    return found
