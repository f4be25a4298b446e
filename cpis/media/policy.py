"""Who may do what with the media log. The public relations and community-policing
staff of a place — the station's coordinator and commander, the regional
coordinator and director, the directorate and the strategy coordinator — see and
log the reports that concern their places; a role held at a unit covers its
subtree. tests/test_policy.py is the matrix."""

from cpis.organisation.access import STATION_LEADS, PlacePolicy
from cpis.organisation.models import Role

MEDIA_ROLES = STATION_LEADS | {Role.STRATEGY_COORDINATOR}

policy = PlacePolicy(
    rules={
        # See a place's reports, their counts and tone, and export them.
        "view": MEDIA_ROLES,
        # Log a report that concerns a place, import a spreadsheet of them.
        "log": MEDIA_ROLES,
        # Change or delete anyone's report at a place.
        "manage": STATION_LEADS,
        # Keep the national lists of outlets (at the root).
        "manage_lists": frozenset({Role.DIRECTORATE, Role.STRATEGY_COORDINATOR, Role.SYSTEM_ADMIN}),
    },
    see_roles=MEDIA_ROLES,
)
