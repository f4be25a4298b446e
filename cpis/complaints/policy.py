"""Complaints are for professional standards only, and never for the officer
complained about or anyone in that officer's chain of command: a role other
than professional standards held at the officer's unit or above it excludes
the complaint, even for a professional-standards user."""

from django.db.models import Q

from cpis.organisation.access import Actor, PlacePolicy
from cpis.organisation.models import Role

STANDARDS = frozenset({Role.PROFESSIONAL_STANDARDS})

policy = PlacePolicy(
    rules={"view": STANDARDS, "investigate": STANDARDS, "decide": STANDARDS},
    see_roles=STANDARDS,
)


def conflict_filter(actor: Actor) -> Q:
    """Complaints the actor must not see: about themselves, or about an
    officer below a place where they hold any other role."""
    if actor.is_system:
        return Q(pk__in=[])
    excluded = Q(accused_officer__user_id=actor.user_id) if actor.user_id else Q(pk__in=[])
    for role, path in actor.grants:
        if role != Role.PROFESSIONAL_STANDARDS:
            excluded |= Q(accused_unit_path__startswith=path)
    return excluded
