"""Who may do what with questionnaires, waves, responses and results. A role
held at a unit covers its subtree; the place of a questionnaire is the whole
service (the directorate's root unit), of a wave the place it surveys, of a
response its sector. tests/test_policy.py is the matrix."""

from cpis.organisation.access import POLICING_ROLES, STATION_LEADS, PlacePolicy
from cpis.organisation.models import Role

# Those who design the surveys of the whole service [Evaluation 4]: the directorate, the
# strategy's coordinator and the administrators.
DESIGNERS = frozenset({Role.DIRECTORATE, Role.STRATEGY_COORDINATOR, Role.SYSTEM_ADMIN})

policy = PlacePolicy(
    rules={
        # See a place's survey results (always aggregated and suppressed below the wave's n).
        "view": POLICING_ROLES,
        # Draft, preview and publish questionnaires.
        "design": DESIGNERS,
        # Plan a wave at a place, set its targets and margins, draw its start points, open
        # and close it.
        "run_waves": DESIGNERS | {Role.REGIONAL_DIRECTOR, Role.REGIONAL_COORDINATOR},
        # Take a response at a door, a meeting or an event in a sector.
        "collect": POLICING_ROLES - {Role.STRATEGY_COORDINATOR},
        # Import keyed-in paper questionnaires; review held responses and free text.
        "review": STATION_LEADS,
        # Download anonymised response-level data (free text only once reviewed).
        "export": DESIGNERS | {Role.REGIONAL_DIRECTOR, Role.REGIONAL_COORDINATOR, Role.STATION_COMMANDER},
    },
    see_roles=POLICING_ROLES,
)
