"""Who may see an officer's record and the officers' representation, and who keeps
the personnel data. The matrix test in tests/test_policy.py is its specification."""

from cpis.organisation.access import PlacePolicy
from cpis.organisation.models import Role

# The officer's chain of command: the sector leader, the station commander, the
# regional director and the directorate, at or above the officer's sector.
CHAIN_OF_COMMAND = frozenset(
    {Role.SECTOR_LEADER, Role.STATION_COMMANDER, Role.REGIONAL_DIRECTOR, Role.DIRECTORATE}
)
PERSONNEL = frozenset({Role.PERSONNEL})

policy = PlacePolicy(
    rules={
        # An officer's community-policing record (the officer themself is allowed in record.py).
        "view_record": CHAIN_OF_COMMAND | PERSONNEL,
        # The officers' composition beside the population's, counted, small cells suppressed.
        "view_representation": CHAIN_OF_COMMAND | PERSONNEL,
        # An officer's own community and gender: special-category data.
        "manage_backgrounds": PERSONNEL,
        # The population's composition by municipality.
        "manage_population": PERSONNEL,
    },
    see_roles=CHAIN_OF_COMMAND | PERSONNEL,
)
