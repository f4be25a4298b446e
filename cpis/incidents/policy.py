"""Who may do what with incidents. A role held at a unit covers its subtree;
the place of an incident is its sector (or station, or the directorate when
it lies outside every sector). Imports are national: they are allowed only
at the root. tests/test_policy.py is the matrix."""

from cpis.organisation.access import ALL_ROLES, Actor, PlacePolicy
from cpis.organisation.models import Role

policy = PlacePolicy(
    rules={
        # See the incidents of a place, on the list, the map and in analyses.
        "view": ALL_ROLES - {Role.PROFESSIONAL_STANDARDS},
        # Import files of incidents and see the imports (at the root only).
        "import": frozenset({Role.DIRECTORATE, Role.SYSTEM_ADMIN}),
    },
    see_roles=ALL_ROLES - {Role.PROFESSIONAL_STANDARDS},
)


def can(actor: Actor, action: str, path: str) -> bool:
    return policy.can(actor, action, path)


def require(actor: Actor, action: str, path: str) -> None:
    policy.require(actor, action, path)
