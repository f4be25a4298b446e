"""Who is told what, and who reads a notification. A notification belongs to
its recipient alone: another person's is "not found" (404), whatever their
roles. Each kind goes to the roles that do the work it tells of; the
preferences page offers a person the kinds their roles can receive.
tests/test_policy.py is the matrix."""

from django.http import Http404
from django.utils.translation import gettext as _

from cpis.organisation.access import POLICING_ROLES, Actor
from cpis.organisation.models import Role

from .models import Kind, Notification

REVIEWERS = frozenset(
    {Role.STATION_COORDINATOR, Role.REGIONAL_COORDINATOR, Role.REGIONAL_DIRECTOR, Role.DIRECTORATE}
)
# The station command and the sector team: who must act on a high tension report.
AREA_LEADS = frozenset(
    {Role.SECTOR_OFFICER, Role.SECTOR_LEADER, Role.STATION_COORDINATOR, Role.STATION_COMMANDER}
)

RECEIVES: dict[str, frozenset[str]] = {
    Kind.CONCERN_ASSIGNED: POLICING_ROLES,
    Kind.CITIZEN_WROTE: POLICING_ROLES,
    Kind.CONCERN_OVERDUE: POLICING_ROLES,
    # Complaints are for professional standards only.
    Kind.COMPLAINT_ARRIVED: frozenset({Role.PROFESSIONAL_STANDARDS}),
    Kind.REPORT_TO_REVIEW: REVIEWERS,
    # The sector leader writes the report; the station's coordinator may stand in.
    Kind.REPORT_RETURNED: frozenset({Role.SECTOR_LEADER, Role.STATION_COORDINATOR}),
    Kind.ACTION_DUE: POLICING_ROLES,
    Kind.HIGH_TENSION: AREA_LEADS,
    Kind.EMERGING_CLUSTER: POLICING_ROLES,
    # Pushed to the sector team, who patrol and visit the neighbours.
    Kind.NEAR_REPEAT: frozenset({Role.SECTOR_OFFICER, Role.SECTOR_LEADER}),
    # Every officer is evaluated [1.2.6]; an appeal goes to the chain of command above the supervisor.
    Kind.APPRAISAL_SUBMITTED: POLICING_ROLES,
    Kind.APPRAISAL_APPEALED: frozenset(
        {Role.SECTOR_LEADER, Role.STATION_COMMANDER, Role.REGIONAL_DIRECTOR, Role.DIRECTORATE}
    ),
}


def kinds_for(actor: Actor) -> list[Kind]:
    """The kinds of notification the actor's roles can receive, in order."""
    if actor.is_system:
        return list(Kind)
    return [kind for kind in Kind if actor.roles & RECEIVES[kind]]


def may_read(actor: Actor, notification: Notification) -> bool:
    return actor.user_id is not None and notification.recipient_id == actor.user_id


def require_read(actor: Actor, notification: Notification) -> None:
    """Someone else's notification looks like one that does not exist."""
    if not may_read(actor, notification):
        raise Http404(_("Not found."))
