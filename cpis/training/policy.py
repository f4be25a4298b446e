"""Who may do what with training records. Trainers, programmes and study
visits are national (checked at the root); a course or a training need
belongs to the unit that organises or identified it, and a role held there
or above covers it. An officer's training record belongs to the officer's
home unit. tests/test_policy.py is the matrix."""

from cpis.organisation.access import POLICING_ROLES, PlacePolicy
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
        "view": POLICING_ROLES,
        # Trainers, programmes and study visits (at the root).
        "manage": NATIONAL,
        # Courses a unit organises: its participants, trainers and attendance.
        "manage_course": NATIONAL | LEADS,
        # Training needs a unit identified.
        "manage_need": NATIONAL | LEADS,
        # An officer's training record (personal data, every view logged).
        "view_records": NATIONAL | LEADS,
    },
    see_roles=POLICING_ROLES,
)
