"""Complaints are for professional standards only, and never for the officer
complained about or anyone in that officer's chain of command: a role other
than professional standards held at the officer's home unit or above it, or
at a sector the officer served in while the complaint was open (or above it),
excludes the complaint, even for a professional-standards user."""

from django.db.models import Exists, OuterRef, Q

from cpis.organisation.access import Actor, PlacePolicy
from cpis.organisation.models import Assignment, Role

STANDARDS = frozenset({Role.PROFESSIONAL_STANDARDS})

policy = PlacePolicy(
    rules={"view": STANDARDS, "investigate": STANDARDS, "decide": STANDARDS},
    see_roles=STANDARDS,
)


def conflict_filter(actor: Actor) -> Q:
    """Complaints the actor must not see: about themselves, or about an
    officer whose home unit or sector lies at or below a place where they
    hold any other role."""
    if actor.is_system:
        return Q(pk__in=[])
    excluded = Q(accused_officer__user_id=actor.user_id) if actor.user_id else Q(pk__in=[])
    paths = sorted({path for role, path in actor.grants if role != Role.PROFESSIONAL_STANDARDS})
    if not paths:
        return excluded
    in_chain = Q()
    for path in paths:
        excluded |= Q(accused_unit_path__startswith=path)
        in_chain |= Q(sector__path__startswith=path)
    # A sector the officer served in at any time since the complaint came in.
    served = Assignment.objects.filter(in_chain, officer_id=OuterRef("accused_officer_id")).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=OuterRef("created_at__date"))
    )
    return excluded | Q(Exists(served))
