"""Who may do what with problems, priorities, public summaries and the
register of vulnerable persons. A role held at a unit covers its subtree; the
place of a record is its sector, station or region. tests/test_policy.py is
the matrix."""

from cpis.organisation.access import POLICING_ROLES, STATION_LEADS, PlacePolicy
from cpis.organisation.models import Role

# Those who lead problem solving at a place: the sector leader and the station's leads.
LEADS = STATION_LEADS | {Role.SECTOR_LEADER}
# Who sees the register of vulnerable persons besides the appointed officer [3.1.3]: the
# chain of command above the officer and the safeguarding role — not coordinators,
# analysts, the directorate's staff or administrators.
VULNERABLE_READERS = frozenset(
    {Role.SECTOR_LEADER, Role.STATION_COMMANDER, Role.REGIONAL_DIRECTOR, Role.SAFEGUARDING}
)

policy = PlacePolicy(
    rules={
        # See a place's problems, their analysis, response and assessment; export them.
        "view": POLICING_ROLES,
        # Open a problem at a place (scanning), and work one the actor owns or is on the team of.
        "open": POLICING_ROLES - {Role.STRATEGY_COORDINATOR},
        # Work any problem at a place: change it, give it an owner, move its stage, close it.
        "lead": LEADS,
        # Propose and agree a sector's priorities, retire them.
        "agree_priorities": LEADS,
        # Review a problem's public summary (a second person) and publish or withdraw it.
        "publish": STATION_LEADS,
        # Read the register of vulnerable persons at a place (the appointed officer reads
        # their own entries besides: selectors.vulnerable).
        "vulnerable_read": VULNERABLE_READERS,
        # Record, review and appoint an officer to a vulnerable person or group.
        "vulnerable_record": frozenset({Role.SECTOR_LEADER, Role.STATION_COMMANDER, Role.SAFEGUARDING}),
    },
    see_roles=POLICING_ROLES,
)
