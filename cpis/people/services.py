"""Writes of the people app: the personnel department records an officer's
community and gender, and the population's composition by municipality."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.organisation.access import Actor
from cpis.organisation.models import Municipality, Officer
from cpis.surveys.models.responses import Community, Gender

from .models import BackgroundChange, Dimension, OfficerBackground, PopulationShare
from .policy import policy


@transaction.atomic
def record_background(actor: Actor, *, officer: Officer, community: str, gender: str) -> OfficerBackground:
    """Record or correct an officer's community and gender. Personnel only; the change
    (who, when, which fields, not the values) is kept in BackgroundChange."""
    policy.require(actor, "manage_backgrounds", officer.unit.path)
    if community not in Community.values:
        raise InvalidInput(_("Choose a community from the list."))
    if gender not in Gender.values:
        raise InvalidInput(_("Choose a gender from the list."))
    background = OfficerBackground.objects.select_for_update().filter(officer=officer).first()
    if background is None:
        changed = ["community", "gender"]
        background = OfficerBackground(officer=officer)
    else:
        changed = [
            name
            for name, value in (("community", community), ("gender", gender))
            if getattr(background, name) != value
        ]
        if not changed:
            return background
    background.community, background.gender = community, gender
    background.recorded_by_id, background.recorded_at = actor.user_id, timezone.now()
    background.save()
    BackgroundChange.objects.create(officer=officer, changed_by_id=actor.user_id, fields=",".join(changed))
    return background


def _categories(dimension: str) -> list[str]:
    return list(Community.values if dimension == Dimension.COMMUNITY else Gender.values)


@transaction.atomic
def set_population_share(
    actor: Actor,
    *,
    municipality: Municipality,
    dimension: str,
    category: str,
    share: float,
    source: str,
    year: int,
) -> PopulationShare:
    """Set a municipality's share of one community or gender (from a census or an
    estimate). Personnel only."""
    policy.require_anywhere(actor, "manage_population")
    if dimension not in Dimension.values:
        raise InvalidInput(_("Choose community or gender."))
    if category not in _categories(dimension):
        raise InvalidInput(_("Choose a category from the list."))
    if not 0 <= share <= 1:
        raise InvalidInput(_("A share is between 0 and 1."))
    if not source.strip():
        raise InvalidInput(_("Name the source of the figure."))
    row, _created = PopulationShare.objects.update_or_create(
        municipality=municipality,
        dimension=dimension,
        category=category,
        defaults={
            "share": share,
            "source": source.strip(),
            "year": year,
            "recorded_by_id": actor.user_id,
            "recorded_at": timezone.now(),
        },
    )
    return row
