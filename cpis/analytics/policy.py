"""Who may do what with the analyses. A role held at a unit covers its
subtree; an analysis is of a place. tests/test_policy.py is the matrix."""

from cpis.organisation.access import POLICING_ROLES, STATION_LEADS, PlacePolicy
from cpis.organisation.models import Role

policy = PlacePolicy(
    rules={
        # See trends, hotspots, near-repeat results, clusters, priorities and deployment
        # of a place. Professional standards deal with complaints, not crime analysis.
        "view": POLICING_ROLES,
        # Start a background analysis (near-repeat, scan) for a place.
        "run": POLICING_ROLES,
        # Take an emerging cluster up for problem solving, or dismiss it.
        "review": STATION_LEADS | {Role.SECTOR_LEADER},
    },
    see_roles=POLICING_ROLES,
)
