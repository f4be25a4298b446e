"""Who may do what with concerns. tests/test_policy.py is the matrix."""

from cpis.organisation.access import POLICING_ROLES, STATION_LEADS, PlacePolicy
from cpis.organisation.models import Role

policy = PlacePolicy(
    rules={
        # See a place's queue and a concern's history.
        "view": POLICING_ROLES,
        # Confirm category and place, release from moderation, reject, refer, mark duplicates.
        "triage": STATION_LEADS | {Role.SECTOR_LEADER},
        # Give a concern to an officer.
        "assign": STATION_LEADS | {Role.SECTOR_LEADER},
        # Work a concern: progress, reply, resolve (assigned officers may too; see can_work).
        "work": STATION_LEADS | {Role.SECTOR_LEADER},
        # Enter a concern received by phone, in person or at a forum.
        "enter": POLICING_ROLES - {Role.STRATEGY_COORDINATOR},
        # See the reporter's contact details (every view is logged).
        "view_contact": STATION_LEADS | {Role.SECTOR_LEADER},
        # Write and approve the public summary of a concern, publish its photo
        # (assigned officers may too; see services.public.can_publish).
        "publish": STATION_LEADS | {Role.SECTOR_LEADER},
        # Export lists of concerns.
        "export": STATION_LEADS,
    },
    see_roles=POLICING_ROLES,
)
