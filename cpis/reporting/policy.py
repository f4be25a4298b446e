"""Who may do what with the forum and partner reports [2.4.3, 2.4.4].
tests/test_policy.py is the matrix."""

from cpis.organisation.access import ALL_ROLES, Actor, PlacePolicy
from cpis.organisation.models import Role

from .models import STAGE_ROLE, Stage

policy = PlacePolicy(
    rules={
        # Read reports and roll-ups of a place.
        "view": ALL_ROLES - {Role.PROFESSIONAL_STANDARDS},
        # Write and submit a sector's report (the sector leader, or the station's coordinator standing in).
        "write": frozenset({Role.SECTOR_LEADER, Role.STATION_COORDINATOR}),
        # Review at each stage of the chain: only the role of that stage.
        **{
            f"review_{stage.value}": frozenset({role})
            for stage, role in STAGE_ROLE.items()
            if stage != Stage.AUTHOR
        },
    },
    see_roles=ALL_ROLES - {Role.PROFESSIONAL_STANDARDS},
)


def can(actor: Actor, action: str, path: str) -> bool:
    return policy.can(actor, action, path)


def require(actor: Actor, action: str, path: str) -> None:
    policy.require(actor, action, path)


def can_review(actor: Actor, stage: str, path: str) -> bool:
    return stage in STAGE_ROLE and stage != Stage.AUTHOR and policy.can(actor, f"review_{stage}", path)
