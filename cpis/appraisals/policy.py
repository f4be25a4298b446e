"""Who may do what with performance evaluations [1.2.6]. An evaluation is read
by the officer it is about, by the chain of command above the officer's place
and by the personnel department; nobody else learns that it exists (404).
tests/test_policy.py is the matrix."""

from cpis.organisation.access import Actor, PlacePolicy
from cpis.organisation.models import Role

# The chain of command over an officer: the sector leader, the station commander,
# the regional director and, at the top, the General Police Directorate.
COMMAND_ROLES = frozenset(
    {Role.SECTOR_LEADER, Role.STATION_COMMANDER, Role.REGIONAL_DIRECTOR, Role.DIRECTORATE}
)

policy = PlacePolicy(
    rules={
        # Read the evaluations of the officers of a place.
        "read": COMMAND_ROLES | {Role.PERSONNEL},
        # Rate an officer of a place (never oneself: the services refuse it).
        "rate": COMMAND_ROLES,
        # Sign an acknowledged or decided evaluation, which freezes it.
        "sign": COMMAND_ROLES | {Role.PERSONNEL},
        # Define the forms, their criteria and weights (at the root: forms are national).
        "define_forms": frozenset({Role.PERSONNEL}),
        # A region's promotion lists: its command at the region or above, and personnel.
        "promotion_list": frozenset({Role.REGIONAL_DIRECTOR, Role.DIRECTORATE, Role.PERSONNEL}),
    },
    see_roles=COMMAND_ROLES | {Role.PERSONNEL},
)


def commands_at(actor: Actor, path: str) -> bool:
    """Holds a command role at exactly this unit: the level an appeal goes to."""
    return actor.is_system or any(role in COMMAND_ROLES and grant == path for role, grant in actor.grants)


def command_paths(actor: Actor) -> list[str]:
    """Every unit where the actor holds a command role, deepest last."""
    return sorted({grant for role, grant in actor.grants if role in COMMAND_ROLES}, key=len)
