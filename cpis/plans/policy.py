"""Who may do what with the action plan. The plan is national: plan-wide
actions are checked at the root unit; progress is reported by a unit for
itself; an evaluation is frozen and signed at its place (the root for the
national one, a region for a region's). tests/test_policy.py is the matrix."""

from cpis.organisation.access import POLICING_ROLES, PlacePolicy
from cpis.organisation.models import Role

# The coordinator and working group [1.1.1–1.1.2] and the directorate.
WORKING_GROUP = frozenset({Role.STRATEGY_COORDINATOR, Role.DIRECTORATE, Role.SYSTEM_ADMIN})

policy = PlacePolicy(
    rules={
        # Read the plan, its progress, indicators, deadlines and evaluations.
        "view": POLICING_ROLES,
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
        # Freeze an evaluation for a half-year at its place: the working group for the
        # country (and any region), a region's director and coordinator for their region.
        "freeze": WORKING_GROUP | {Role.REGIONAL_COORDINATOR, Role.REGIONAL_DIRECTOR},
        # Senior and executive leadership: write the narrative and sign off [Evaluation 7];
        # a region's director for the region's evaluation.
        "sign": frozenset({Role.DIRECTORATE, Role.REGIONAL_DIRECTOR}),
    },
    see_roles=POLICING_ROLES,
)
