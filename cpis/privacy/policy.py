"""Data protection is the data-protection officer's: reading the access log
(who read whose data, why, and the alerts) and answering data-subject
requests. National: the officer holds the role at the root."""

from cpis.organisation.access import PlacePolicy
from cpis.organisation.models import Role

OFFICER = frozenset({Role.DATA_PROTECTION_OFFICER})

policy = PlacePolicy(
    rules={"audit": OFFICER, "answer_requests": OFFICER},
    see_roles=OFFICER,
)
