"""Writes for the organisation. Every service checks its permission first
and runs in one transaction."""

import re
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput

from .access import Actor
from .geo import geometry_from_geojson
from .models import (
    Assignment,
    KeyLocation,
    Municipality,
    Officer,
    SectorRole,
    Unit,
    UnitKind,
)
from .policy import policy
from .rules import CHILD_KINDS, CODE_PATTERN, tenure_ends, unit_path


class EarlyMoveNeedsReason(DomainError):
    message = gettext_lazy(
        "This officer has served in the sector for less than two years. Record the reason for the early move."
    )


class AssignmentOverlaps(DomainError):
    message = gettext_lazy("The new assignment would overlap one the officer already has.")


class NotASector(DomainError):
    message = gettext_lazy("Officers can only be assigned to a sector.")


class UnitKindNotAllowedHere(DomainError):
    message = gettext_lazy("A unit of this kind cannot be placed under that parent.")


class UnitCodeInvalid(DomainError):
    message = gettext_lazy("A unit code may hold only lower-case letters, digits and hyphens (at most 40).")


class UnitCodeTaken(DomainError):
    message = gettext_lazy("Another unit under the same parent already uses this code.")


def _check_child(parent: Unit | None, kind: str) -> None:
    if parent is None:
        if kind != UnitKind.DIRECTORATE:
            raise UnitKindNotAllowedHere()
    elif kind not in CHILD_KINDS[parent.kind]:
        raise UnitKindNotAllowedHere()


def validate_unit_placement(*, parent: Unit | None, kind: str, code: str) -> str:
    """The path a new unit would get, or the rule it breaks."""
    _check_child(parent, kind)
    if not re.fullmatch(CODE_PATTERN, code or ""):
        raise UnitCodeInvalid()
    path = unit_path(parent.path if parent else None, code)
    if Unit.objects.filter(path=path).exists():
        raise UnitCodeTaken()
    return path


@transaction.atomic
def create_unit(
    actor: Actor,
    *,
    parent: Unit | None,
    kind: str,
    code: str,
    name_sq: str,
    name_sr: str = "",
    name_en: str = "",
    municipality: Municipality | None = None,
    boundary: dict[str, Any] | None = None,
    population: int | None = None,
    phone: str = "",
    email: str = "",
    address: str = "",
) -> Unit:
    """Add a unit to the tree. Needs `manage_units` at the parent."""
    if parent is not None:
        policy.require(actor, "manage_units", parent.path)
    elif not actor.is_system:
        policy.require(actor, "manage_units", "")
    path = validate_unit_placement(parent=parent, kind=kind, code=code)
    if boundary is not None:
        geometry_from_geojson(boundary)
    return Unit.objects.create(
        parent=parent,
        kind=kind,
        code=code,
        path=path,
        name_sq=name_sq,
        name_sr=name_sr,
        name_en=name_en,
        municipality=municipality,
        boundary=boundary,
        population=population,
        phone=phone,
        email=email,
        address=address,
    )


@transaction.atomic
def update_sector_profile(actor: Actor, *, sector: Unit, population: int | None, description: str) -> Unit:
    """Edit a sector profile's text and population (2.4.6)."""
    policy.require(actor, "edit_sector", sector.path)
    sector.population = population
    sector.description = description
    sector.save(update_fields=["population", "description", "updated_at"])
    return sector


@transaction.atomic
def add_key_location(
    actor: Actor, *, sector: Unit, kind: str, name: str, lat: float, lon: float, note: str = ""
) -> KeyLocation:
    policy.require(actor, "edit_sector", sector.path)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput(_("Coordinates are out of range."))
    return KeyLocation.objects.create(sector=sector, kind=kind, name=name, lat=lat, lon=lon, note=note)


@transaction.atomic
def import_sector_boundaries(actor: Actor, *, parent: Unit, data: Any) -> list[Unit]:
    """Create or update sectors under `parent` from a GeoJSON FeatureCollection.

    Each feature needs `properties.code` and `properties.name_sq` (optionally
    name_sr, name_en, population) and a Polygon or MultiPolygon. All or
    nothing: the first bad feature rolls the whole import back.
    """
    policy.require(actor, "manage_units", parent.path)
    if parent.kind not in {UnitKind.STATION, UnitKind.SUBSTATION}:
        raise UnitKindNotAllowedHere()
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InvalidInput(_("The file must be a GeoJSON FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise InvalidInput(_("The FeatureCollection has no features."))
    sectors = []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {} if isinstance(feature, dict) else {}
        code = str(properties.get("code", "")).strip()
        name_sq = str(properties.get("name_sq", "")).strip()
        if not code or not name_sq:
            raise InvalidInput(
                _("Feature %(number)s needs the properties code and name_sq.") % {"number": number}
            )
        try:
            geometry_from_geojson(feature.get("geometry"))
        except InvalidInput as exc:
            raise InvalidInput(
                _("Feature %(number)s: %(problem)s") % {"number": number, "problem": exc.message}
            ) from exc
        if not re.fullmatch(CODE_PATTERN, code):
            raise InvalidInput(
                _("Feature %(number)s: %(problem)s") % {"number": number, "problem": UnitCodeInvalid.message}
            )
        population = properties.get("population")
        try:
            population = int(population) if isinstance(population, int | float) else None
        except (ValueError, OverflowError):  # NaN, infinity
            population = -1
        if population is not None and not 0 <= population <= 10_000_000:
            raise InvalidInput(
                _("Feature %(number)s: the population is not a plausible number.") % {"number": number}
            )
        fields = {
            "name_sq": name_sq,
            "name_sr": str(properties.get("name_sr", "")),
            "name_en": str(properties.get("name_en", "")),
            "boundary": feature["geometry"],
            "population": population,
        }
        sector = Unit.objects.filter(parent=parent, code=code).first()
        if sector is None:
            sector = create_unit(actor, parent=parent, kind=UnitKind.SECTOR, code=code, **fields)
        else:
            if sector.kind != UnitKind.SECTOR:
                raise InvalidInput(
                    _("Feature %(number)s: code %(code)s belongs to a unit that is not a sector.")
                    % {"number": number, "code": code}
                )
            for name, value in fields.items():
                setattr(sector, name, value)
            sector.save()
        sectors.append(sector)
    return sectors


@transaction.atomic
def assign_officer(
    actor: Actor,
    *,
    officer: Officer,
    sector: Unit,
    role: str = SectorRole.OFFICER,
    start_date: date | None = None,
    reason: str = "",
) -> Assignment:
    """Move an officer into a sector from `start_date`, ending the current
    assignment the day before. A community officer leaving a sector before
    two years needs a reason [Implementation 2]. Needs `manage_assignments`
    at both the old and the new sector."""
    policy.require(actor, "manage_assignments", sector.path)
    if sector.kind != UnitKind.SECTOR:
        raise NotASector()
    start = start_date or timezone.localdate()
    # One move at a time per officer: concurrent moves wait here.
    Officer.objects.select_for_update().filter(pk=officer.pk).first()
    if Assignment.objects.filter(officer=officer, end_date__gt=start).exists():
        raise AssignmentOverlaps()
    current = (
        Assignment.objects.select_for_update()
        .filter(officer=officer, end_date__isnull=True)
        .select_related("sector")
        .first()
    )
    if current is not None:
        policy.require(actor, "manage_assignments", current.sector.path)
        if start <= current.start_date:
            raise AssignmentOverlaps()
        early = officer.is_community_officer and start < tenure_ends(current.start_date)
        if early and not reason.strip():
            raise EarlyMoveNeedsReason()
        current.end_date = start
        current.end_reason = reason.strip()
        current.save(update_fields=["end_date", "end_reason", "updated_at"])
    return Assignment.objects.create(officer=officer, sector=sector, role=role, start_date=start)
