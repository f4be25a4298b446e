"""Who may do what with the analyses. A role held at a unit covers its
subtree; an analysis is of a place. tests/test_policy.py is the matrix."""

from cpis.organisation.access import ALL_ROLES, STATION_LEADS, Actor, PlacePolicy
from cpis.organisation.models import Role

policy = PlacePolicy(
    rules={
        # See trends, hotspots, near-repeat results, clusters, priorities and deployment
        # of a place. Professional standards deal with complaints, not crime analysis.
        "view": ALL_ROLES - {Role.PROFESSIONAL_STANDARDS},
        # Start a background analysis (near-repeat, scan) for a place.
        "run": ALL_ROLES - {Role.PROFESSIONAL_STANDARDS},
        # Take an emerging cluster up for problem solving, or dismiss it.
        "review": STATION_LEADS | {Role.SECTOR_LEADER},
    },
    see_roles=ALL_ROLES - {Role.PROFESSIONAL_STANDARDS},
)


def can(actor: Actor, action: str, path: str) -> bool:
    return policy.can(actor, action, path)


def require(actor: Actor, action: str, path: str) -> None:
    policy.require(actor, action, path)
