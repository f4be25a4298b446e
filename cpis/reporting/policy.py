"""Who may do what with the forum and partner reports [2.4.3, 2.4.4].
tests/test_policy.py is the matrix."""

from cpis.organisation.access import POLICING_ROLES, Actor, PlacePolicy
from cpis.organisation.models import Role

from .models import STAGE_ROLE, Stage

policy = PlacePolicy(
    rules={
        # Read reports and roll-ups of a place.
        "view": POLICING_ROLES,
        # Write and submit a sector's report (the sector leader, or the station's coordinator standing in).
        "write": frozenset({Role.SECTOR_LEADER, Role.STATION_COORDINATOR}),
        # Review at each stage of the chain: only the role of that stage.
        **{
            f"review_{stage.value}": frozenset({role})
            for stage, role in STAGE_ROLE.items()
            if stage != Stage.AUTHOR
        },
    },
    see_roles=POLICING_ROLES,
)


def may_review(actor: Actor, stage: str, path: str) -> bool:
    return stage in STAGE_ROLE and stage != Stage.AUTHOR and policy.can(actor, f"review_{stage}", path)
