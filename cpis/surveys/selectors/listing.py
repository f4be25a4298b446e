"""What the JSON API reads beyond the other selectors: a questionnaire with its
versions' questions (drafts for the designers only), and a wave's results
limited to the caller's places. The questionnaires' list is
`questionnaires.list_questionnaires`, the waves `waves.list_waves` and
`waves.get_wave` (with `counted=True`).

A wave is seen by whoever sees survey results at its place, below it or above
it (a national wave covers every region). Its results are another matter: a
caller is given the figures of the places within their own reach only, so a
station commander reads a national wave's figures for their station and its
sectors, and asking for a region or the country is refused (403), not
answered with an empty list."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.core.http import one_or_404
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from ..models import Questionnaire, Wave
from ..policy import policy
from . import dashboard, questionnaires, results

# How deep in the tree each level's places are, to refuse a level above the place asked for.
_RANK = {"country": 0, "region": 1, "station": 2, "sector": 3}
_KIND_RANK: dict[str, int] = {
    UnitKind.DIRECTORATE: 0,
    UnitKind.REGION: 1,
    UnitKind.STATION: 2,
    UnitKind.SUBSTATION: 2,
    UnitKind.SECTOR: 3,
}


# --- questionnaires ------------------------------------------------------------------


def get_questionnaire(actor: Actor, questionnaire_id: int) -> Questionnaire:
    """One questionnaire with its versions' questions and options, in order (404
    when there is none); drafts for the designers only."""
    questionnaires.require_read(actor)
    versions = questionnaires.visible_versions(actor).prefetch_related(
        Prefetch("questions", queryset=questionnaires.questions_with_options())
    )
    return one_or_404(
        Questionnaire.objects.prefetch_related(Prefetch("versions", queryset=versions)), pk=questionnaire_id
    )


# --- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class WaveResults:
    """A wave's figures at one level for the places within the caller's reach."""

    wave: Wave
    level: str
    items: list[results.Item]
    places: dict[int, Place]
    records: list[results.Result]
    weighted: bool


def _groups(group: str) -> list[str]:
    """ "all" (or nothing), one dimension's every category ("gender"), or one category
    ("gender:female"); InvalidInput otherwise."""
    group = group.strip() or "all"
    if group in results.DIMENSIONS:
        return [g for g in results.all_groups() if g.startswith(f"{group}:")] if group != "all" else ["all"]
    if group in results.all_groups():
        return [group]
    raise InvalidInput(
        _("Unknown group %(group)s: ask for all, community, gender, age_band or one of their categories.")
        % {"group": group}
    )


def _items(t: results.Table, item: str) -> list[str] | None:
    """Every item (nothing asked), one item's key, or every option of a choice question by
    its code; InvalidInput otherwise."""
    item = item.strip()
    if not item:
        return None
    if item in t.items:
        return [item]
    options = [key for key in t.items if key.startswith(f"{item}:")]
    if options:
        return options
    raise InvalidInput(_("This wave has no item %(item)s.") % {"item": item})


def wave_results(
    actor: Actor, wave: Wave, *, level: str, place_id: int | None = None, group: str = "", item: str = ""
) -> WaveResults:
    """The wave's figures at `level` (sector, station, region, country) for the places
    of that level within the caller's reach, at or under `place_id` when given; one
    record per item, place and group, with the small-area estimate beside the direct
    one at sector level. InvalidInput (400) for an unknown level, group or item or a
    level above the place; 404 for a place outside the caller's reach or the wave; 403
    when the level has places in the wave but none within the caller's reach."""
    if level not in results.LEVELS:
        raise InvalidInput(
            _("Unknown level %(level)s: ask for sector, station, region or country.") % {"level": level}
        )
    groups = _groups(group)
    t = results.table(wave)
    items = _items(t, item)
    reachable = dashboard.viewable_places(actor, t, level)
    if t.places[level] and not reachable:
        raise PermissionDenied(
            _("You may read this wave's results only for your own places: ask for a level at or below them.")
        )
    if place_id is not None:
        place = Unit.objects.filter(pk=place_id).only("id", "path", "kind").first()
        if place is None:
            raise Http404(_("Not found."))
        policy.require(actor, "view", place.path)
        if _RANK[level] < _KIND_RANK.get(place.kind, 3):
            raise InvalidInput(
                _("This place lies below the level asked for: ask for a level at or below it.")
            )
        reachable = [u for u in reachable if u.path.startswith(place.path)]
        if not reachable:
            raise Http404(_("This wave does not survey this place."))
    records = results.results(t, level, places=[u.pk for u in reachable], groups=groups, items=items)
    wanted = set(t.items if items is None else items)
    return WaveResults(
        wave=wave,
        level=level,
        items=[i for i in results.items_of(wave.version_id) if i.key in wanted],
        places={u.pk: Place(u.pk, u.code, u.name) for u in reachable},
        records=records,
        weighted=t.weighted,
    )
