"""Who may do what with the action plan. The plan is national: plan-wide
actions are checked at the root unit; progress is reported by a unit for
itself. tests/test_policy.py is the matrix."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from cpis.organisation.access import ALL_ROLES, Actor, PlacePolicy
from cpis.organisation.models import Role
from cpis.organisation.selectors import get_root_unit

# The coordinator and working group [1.1.1–1.1.2] and the directorate.
WORKING_GROUP = frozenset({Role.STRATEGY_COORDINATOR, Role.DIRECTORATE, Role.SYSTEM_ADMIN})

policy = PlacePolicy(
    rules={
        # Read the plan, its progress, indicators, deadlines and evaluations.
        "view": ALL_ROLES - {Role.PROFESSIONAL_STANDARDS},
        # Post a progress update for a unit (the unit must be responsible for the activity).
        "report": frozenset(
            {
                Role.SECTOR_LEADER,
                Role.STATION_COORDINATOR,
                Role.STATION_COMMANDER,
                Role.REGIONAL_COORDINATOR,
                Role.REGIONAL_DIRECTOR,
            }
        )
        | WORKING_GROUP,
        # Review updates, enter indicator values and targets, import plans. (Anyone who
        # may view the plan may export it: it is the organisation's own public document.)
        "manage": WORKING_GROUP,
        # Freeze an evaluation for a half-year.
        "freeze": WORKING_GROUP,
        # Senior and executive leadership: write the narrative and sign off [Evaluation 7].
        "sign": frozenset({Role.DIRECTORATE}),
    },
    see_roles=ALL_ROLES - {Role.PROFESSIONAL_STANDARDS},
)


def require_plan(actor: Actor, action: str) -> None:
    """A plan-wide action, checked at the root: 404 for those who may not see
    the plan at all, 403 for those who see it but may not do this."""
    root = get_root_unit().path
    if policy.can(actor, action, root):
        return
    if not actor.is_system and not actor.paths(policy.roles_for("view")):
        raise Http404(_("Not found."))
    raise PermissionDenied(_("You may not do this here."))


def can(actor: Actor, action: str, path: str) -> bool:
    return policy.can(actor, action, path)


def require(actor: Actor, action: str, path: str) -> None:
    policy.require(actor, action, path)
