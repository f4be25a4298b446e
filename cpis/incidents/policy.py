"""Who may do what with incidents. A role held at a unit covers its subtree;
the place of an incident is its sector (or station, or the directorate when
it lies outside every sector). Imports are national: they are allowed only
at the root. tests/test_policy.py is the matrix."""

from cpis.organisation.access import POLICING_ROLES, PlacePolicy
from cpis.organisation.models import Role

policy = PlacePolicy(
    rules={
        # See the incidents of a place, on the list, the map and in analyses.
        "view": POLICING_ROLES,
        # Import files of incidents and see the imports (at the root only).
        "import": frozenset({Role.DIRECTORATE, Role.SYSTEM_ADMIN}),
    },
    see_roles=POLICING_ROLES,
)
