"""Who may do what in the organisation app. The matrix test in
tests/test_policy.py is the readable specification of this map."""

from .access import ALL_ROLES, PlacePolicy
from .models import Role

COMMAND = frozenset(
    {
        Role.STATION_COMMANDER,
        Role.REGIONAL_DIRECTOR,
        Role.DIRECTORATE,
        Role.SYSTEM_ADMIN,
    }
)

policy = PlacePolicy(
    rules={
        # Internal unit, sector and officer pages (no personal data).
        "view": ALL_ROLES,
        # An officer's personal data: date of birth, personal phone, address.
        "view_personal_data": COMMAND,
        # Move officers between sectors, end assignments.
        "manage_assignments": COMMAND,
        # Sector profile: population, description, key locations.
        "edit_sector": COMMAND | {Role.STATION_COORDINATOR},
        # Sector boundaries and the unit tree.
        "manage_units": frozenset({Role.DIRECTORATE, Role.SYSTEM_ADMIN}),
    }
)
