"""Who may do what with training records. Trainers, programmes and study
visits are national (checked at the root); a course or a training need
belongs to the unit that organises or identified it, and a role held there
or above covers it. An officer's training record belongs to the officer's
home unit. tests/test_policy.py is the matrix."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from cpis.organisation.access import ALL_ROLES, Actor, PlacePolicy
from cpis.organisation.models import Role

# The Training Department's side of the house: the directorate, the strategy's
# coordinator and working group, and the system administrators.
NATIONAL = frozenset({Role.DIRECTORATE, Role.STRATEGY_COORDINATOR, Role.SYSTEM_ADMIN})
# Station and regional lead roles.
LEADS = frozenset(
    {
        Role.STATION_COORDINATOR,
        Role.STATION_COMMANDER,
        Role.REGIONAL_COORDINATOR,
        Role.REGIONAL_DIRECTOR,
    }
)

policy = PlacePolicy(
    rules={
        # Trainers, programmes, courses, study visits and needs (no one's record).
        "view": ALL_ROLES - {Role.PROFESSIONAL_STANDARDS},
        # Trainers, programmes and study visits (at the root).
        "manage": NATIONAL,
        # Courses a unit organises: its participants, trainers and attendance.
        "manage_course": NATIONAL | LEADS,
        # Training needs a unit identified.
        "manage_need": NATIONAL | LEADS,
        # An officer's training record (personal data, every view logged).
        "view_records": NATIONAL | LEADS,
    },
    see_roles=ALL_ROLES - {Role.PROFESSIONAL_STANDARDS},
)


def can(actor: Actor, action: str, path: str) -> bool:
    return policy.can(actor, action, path)


def require(actor: Actor, action: str, path: str) -> None:
    policy.require(actor, action, path)


def may_view(actor: Actor) -> bool:
    """The training catalogue is national: anyone who may view it somewhere sees all of it."""
    return actor.is_system or bool(actor.paths(policy.roles_for("view")))


def require_view(actor: Actor) -> None:
    if not may_view(actor):
        raise Http404(_("Not found."))


def require_national(actor: Actor, root_path: str) -> None:
    """A national action, checked at the root: 404 for those who may not see
    training at all, 403 for those who see it but may not do this."""
    if policy.can(actor, "manage", root_path):
        return
    require_view(actor)
    raise PermissionDenied(_("You may not do this here."))
