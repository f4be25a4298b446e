"""Who may do what with partners, agreements, interest groups, volunteers
and recognitions. Every check is made at the record's unit path: a role held
at a unit covers its subtree, so central partners (held by the General
Directorate) are for the roles held there. tests/test_policy.py is the matrix."""

from cpis.organisation.access import POLICING_ROLES, STATION_LEADS, PlacePolicy
from cpis.organisation.models import Role

VIEW = POLICING_ROLES

policy = PlacePolicy(
    rules={
        # The registry, agreements, groups, volunteers' hours and recognitions of a place.
        "view": VIEW,
        # Register and edit all of those. A sector leader's grant is at the sector,
        # so it covers the local partners of that sector only.
        "manage": STATION_LEADS | {Role.SECTOR_LEADER},
        # Contacts' and volunteers' phone and e-mail (every view is logged).
        "view_contact": STATION_LEADS | {Role.SECTOR_LEADER},
    },
    see_roles=VIEW,
)
