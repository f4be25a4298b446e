"""What the staff results pages read: the waves an actor may open (those they
see, `waves.visible_waves`, once open), the places of a wave's figures they
may view, and the figures themselves as rows — a place's estimate beside its
small-area estimate and its change since the previous wave, a group's
estimate beside the gap between its community and the rest. Everything comes from the cached table of
each wave (`results.table`): nothing is estimated here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cpis.core.http import one_or_404
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from ..models import AgeBand, Community, Gender, Response, Wave, WaveStatus
from ..policy import policy
from . import results, waves

# The level of the figures of each kind of unit (substations have none of their own).
LEVEL_OF_KIND = {
    UnitKind.SECTOR: "sector",
    UnitKind.STATION: "station",
    UnitKind.REGION: "region",
    UnitKind.DIRECTORATE: "country",
}
# The items a sector's profile shows first, in this order, when the questionnaire has them.
HEADLINE = ("safe_dark", "confidence", "rely", "fair", "listen", "safety_score", "know_officer")
HEADLINE_COUNT = 5
# How many earlier waves a place's trend goes back.
TREND_WAVES = 4


# --- waves and places ---------------------------------------------------------------------


def _started(actor: Actor) -> QuerySet[Wave]:
    """The waves the actor sees (`waves.visible_waves`) but those merely
    planned, newest first."""
    return (
        waves.visible_waves(actor)
        .exclude(status=WaveStatus.PLANNED)
        .select_related("place", "version", "version__questionnaire")
        .order_by("-starts_on", "-id")
    )


def _answered() -> Q:
    return Q(pk__in=Response.objects.counted().values("wave_id"))


def list_waves(actor: Actor) -> list[Wave]:
    """The waves whose results pages the actor may open: those they see, once open."""
    return list(_started(actor))


def get_wave(actor: Actor, wave_id: int) -> Wave:
    """A wave whose results pages the actor may open; 404 otherwise (a planned one too)."""
    return one_or_404(_started(actor), pk=wave_id)


def latest_wave(actor: Actor, *, covering: Unit | None = None) -> Wave | None:
    """The newest wave with counted responses the actor may open (that surveyed
    `covering`, when given): closed waves before open ones of the same start."""
    found = _started(actor).filter(_answered())
    if covering is not None:
        found = found.filter(place__path__in=covering.ancestor_paths())
    # "closed" sorts before "open": a closed wave's figures are final.
    return found.order_by("-starts_on", "status", "-id").first()


def level_of(unit: Unit) -> str:
    level = LEVEL_OF_KIND.get(unit.kind)  # type: ignore[call-overload]
    if level is None:
        raise Http404(_("Not found."))
    return level


def get_place(actor: Actor, unit_id: int) -> tuple[Unit, str]:
    """A sector, station, region or the country the actor may view results of,
    and its level; 404 outside the actor's places (403 inside them without the
    right), 404 for a unit with no figures of its own (a substation)."""
    unit = one_or_404(Unit.objects.filter(kind__in=list(LEVEL_OF_KIND)).select_related("parent"), pk=unit_id)
    policy.require(actor, "view", unit.path)
    return unit, level_of(unit)


def get_sector(actor: Actor, sector_id: int) -> Unit:
    """A sector the actor may view results of; 404 otherwise."""
    unit = one_or_404(Unit.objects.sectors().select_related("parent"), pk=sector_id)
    policy.require(actor, "view", unit.path)
    return unit


def viewable_places(actor: Actor, t: results.Table, level: str) -> list[Unit]:
    """The units of a level of a wave's figures that the actor may view, in tree order."""
    units = Unit.objects.filter(pk__in=t.places[level]).order_by("path")
    if not actor.is_system:
        units = units.filter(policy.scope(actor, "view"))
    return list(units.only("id", "path", "kind", "code", "name_sq", "name_sr", "name_en", "parent_id"))


def scope_place(actor: Actor, wave: Wave) -> Unit | None:
    """Where the actor's view of a wave starts: the wave's place when they may
    view all of it, else the first of their places inside it."""
    if policy.can(actor, "view", wave.place.path):
        return wave.place
    inside = [p for p in policy.places(actor, "view") if p.startswith(wave.place.path)]
    if not inside:
        return None
    return Unit.objects.filter(path=inside[0]).first()


def previous(wave: Wave) -> Wave | None:
    return results.previous_wave(wave)


def table(wave: Wave) -> results.Table:
    """A wave's figures, from the cache (see `results.table`)."""
    return results.table(wave)


def table_of(wave: Wave | None) -> results.Table | None:
    return None if wave is None else results.table(wave)


def items(wave: Wave) -> list[results.Item]:
    return results.items_of(wave.version_id)


def activity_period(wave: Wave, before: Wave | None) -> tuple[date, date]:
    """The days "since the last wave": from the day after the previous wave
    ended to the day this one ends (both included); the year up to this
    wave's end when there is no earlier wave."""
    if before is not None and before.ends_on < wave.ends_on:
        return before.ends_on + timedelta(days=1), wave.ends_on
    return wave.ends_on - timedelta(days=364), wave.ends_on


# --- rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceRow:
    """One place's figure for one item: the direct estimate, at sector level the
    small-area estimate beside it, and the change since the previous wave."""

    unit: Unit
    direct: results.Result
    small_area: results.Result | None
    change: results.Difference | None


def _by_place(rows: list[results.Result]) -> tuple[dict[int, results.Result], dict[int, results.Result]]:
    direct = {r.place: r for r in rows if r.method != "small_area"}
    shrunk = {r.place: r for r in rows if r.method == "small_area"}
    return direct, shrunk


def _change(
    now: results.Table, before: results.Table | None, level: str, place: int, item: str, group: str = "all"
) -> results.Difference | None:
    if before is None:
        return None
    return next((d for d in results.change(now, before, level, place, group) if d.item == item), None)


def place_rows(
    actor: Actor, t: results.Table, before: results.Table | None, level: str, item: str
) -> list[PlaceRow]:
    """Every place of a level the actor may view, with one item's figures."""
    units = viewable_places(actor, t, level)
    direct, shrunk = _by_place(results.results(t, level, places=[u.pk for u in units], items=[item]))
    return [
        PlaceRow(
            unit=u,
            direct=direct[u.pk],
            small_area=shrunk.get(u.pk),
            change=_change(t, before, level, u.pk, item),
        )
        for u in units
        if u.pk in direct
    ]


def map_figures(actor: Actor, t: results.Table, item: str, *, small_area: bool) -> list[results.Result]:
    """One item's figure for every sector the actor may view: the direct
    estimate, or the small-area one (the direct one where the model gave none)."""
    units = viewable_places(actor, t, "sector")
    direct, shrunk = _by_place(
        results.results(t, "sector", places=[u.pk for u in units], items=[item], small_area=small_area)
    )
    return [shrunk.get(u.pk, direct[u.pk]) if small_area else direct[u.pk] for u in units if u.pk in direct]


@dataclass(frozen=True)
class GroupRow:
    """One group's figure for one item at a place; for a community, the gap
    between it and everyone else who said their community."""

    key: str
    dimension: str
    label: str
    result: results.Result
    gap: results.Difference | None


DIMENSION_LABELS = {
    "community": Community,
    "gender": Gender,
    "age_band": AgeBand,
}


def _group_label(dimension: str, category: str) -> str:
    choices = DIMENSION_LABELS[dimension]
    return str(choices(category).label)


def group_rows(t: results.Table, level: str, place: int, item: str) -> list[GroupRow]:
    """Every group (community, gender, age band) at a place for one item."""
    if place not in t.place_index[level]:
        return []
    groups = [g for g in results.all_groups() if g != "all"]
    figures = {r.group: r for r in results.results(t, level, places=[place], groups=groups, items=[item])}
    rows = []
    for group in groups:
        dimension, _sep, category = group.partition(":")
        gap = None
        if dimension == "community":
            gap = next((g for g in results.community_gaps(t, level, place, category) if g.item == item), None)
        rows.append(GroupRow(group, dimension, _group_label(dimension, category), figures[group], gap))
    return rows


@dataclass(frozen=True)
class TrendPoint:
    wave: Wave
    result: results.Result | None


@dataclass(frozen=True)
class ItemRow:
    """One item at a place: the direct estimate, the small-area one beside it
    (sector level), the change since the previous wave and the trend over the
    earlier waves (oldest first, this wave last)."""

    item: results.Item
    direct: results.Result
    small_area: results.Result | None
    change: results.Difference | None
    trend: list[TrendPoint]


def earlier_waves(wave: Wave, count: int = TREND_WAVES) -> list[Wave]:
    """Up to `count` waves of the same questionnaire before this one, newest first."""
    found: list[Wave] = []
    current: Wave | None = wave
    while current is not None and len(found) < count:
        current = results.previous_wave(current)
        if current is not None:
            found.append(current)
    return found


def item_rows(
    wave: Wave, t: results.Table, level: str, place: int, *, keys: list[str] | None = None
) -> list[ItemRow]:
    """Every item (or those of `keys`, in that order) of a wave at one place."""
    all_items = {i.key: i for i in results.items_of(wave.version_id)}
    wanted = [k for k in (keys if keys is not None else list(all_items)) if k in all_items and k in t.items]
    if place not in t.place_index[level]:
        return []
    direct: dict[str, results.Result] = {}
    shrunk: dict[str, results.Result] = {}
    for r in results.results(t, level, places=[place], items=wanted):
        (shrunk if r.method == "small_area" else direct)[r.item] = r
    earlier = earlier_waves(wave)
    tables = [results.table(w) for w in earlier]
    changes = {d.item: d for d in results.change(t, tables[0], level, place)} if tables else {}
    history = [
        (
            w,
            {r.item: r for r in results.results(wt, level, places=[place], items=wanted, small_area=False)},
        )
        for w, wt in reversed(list(zip(earlier, tables, strict=True)))
    ]
    return [
        ItemRow(
            item=all_items[key],
            direct=direct[key],
            small_area=shrunk.get(key),
            change=changes.get(key),
            trend=[TrendPoint(w, figures.get(key)) for w, figures in history]
            + [TrendPoint(wave, direct[key])],
        )
        for key in wanted
    ]


def headline_keys(wave: Wave) -> list[str]:
    """The items a sector's profile shows: the headline ones the questionnaire
    has, or else its first items."""
    keys = [i.key for i in results.items_of(wave.version_id)]
    chosen = [k for k in HEADLINE if k in keys]
    return (chosen or keys)[:HEADLINE_COUNT]


@dataclass(frozen=True)
class SectorPanel:
    sector: Unit
    wave: Wave | None
    before: Wave | None
    rows: list[ItemRow]
    min_n: int


def sector_panel(actor: Actor, sector: Unit) -> SectorPanel:
    """The latest wave's headline figures of a sector, for its staff profile."""
    policy.require(actor, "view", sector.path)
    wave = latest_wave(actor, covering=sector)
    if wave is None:
        return SectorPanel(sector, None, None, [], 0)
    t = results.table(wave)
    rows = item_rows(wave, t, "sector", sector.pk, keys=headline_keys(wave))
    return SectorPanel(sector, wave, results.previous_wave(wave), rows, t.min_n)


def waves_for(actor: Actor, unit: Unit) -> list[Wave]:
    """The waves with answers the actor may open that have figures for `unit`:
    those that surveyed it, a place above it or a place inside it."""
    return list(
        _started(actor)
        .filter(_answered())
        .filter(Q(place__path__in=unit.ancestor_paths()) | Q(place__path__startswith=unit.path))
    )
