"""Who may do what with community safety forums, at the forum's place (a
role held at a unit covers its subtree). tests/test_policy.py is the matrix."""

from cpis.organisation.access import POLICING_ROLES, STATION_LEADS, PlacePolicy
from cpis.organisation.models import Role

policy = PlacePolicy(
    rules={
        # See forums, members (without contacts), meetings, sites, reports, releases.
        "view": POLICING_ROLES,
        # Keep the forum registry: forums, members, meetings, action items, sites,
        # tension reports, trainers, press releases [2.4.1–2.4.12].
        "manage": STATION_LEADS | {Role.SECTOR_LEADER},
        # Export a place's meetings and action items (CSV, XLSX).
        "export": STATION_LEADS | {Role.SECTOR_LEADER},
        # See members' phone and e-mail (every view is logged) [2.4.11].
        "view_contact": frozenset(
            {
                Role.STATION_COORDINATOR,
                Role.STATION_COMMANDER,
                Role.SECTOR_LEADER,
                Role.REGIONAL_COORDINATOR,
                Role.DIRECTORATE,
                Role.SYSTEM_ADMIN,
            }
        ),
    },
    see_roles=POLICING_ROLES,
)
