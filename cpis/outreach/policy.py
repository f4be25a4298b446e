"""Who may do what with outreach records. A role held at a unit covers its
subtree; the place of a record is the sector or station where it happened.
tests/test_policy.py is the matrix."""

from cpis.organisation.access import POLICING_ROLES, STATION_LEADS, PlacePolicy
from cpis.organisation.models import Role

policy = PlacePolicy(
    rules={
        # See the activities of a place, their totals, and export them.
        "view": POLICING_ROLES,
        # Log an activity at a place (and change one's own for 7 days).
        "log": POLICING_ROLES - {Role.STRATEGY_COORDINATOR},
        # Change or delete anyone's entries at a place, at any time.
        "manage": STATION_LEADS,
    },
    see_roles=POLICING_ROLES,
)
