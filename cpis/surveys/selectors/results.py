"""The results of a wave: for every item, place (sector, station, region, country) and
group (everyone, each community, gender and age band), the estimate with its 95 %
interval, the raw and effective n, and whether it is suppressed; at sector level,
beside the direct estimate, the small-area estimate (Fay–Herriot, shrunk toward the
station). Change between waves and the gap between communities come with their
intervals too.

How a wave is computed (`compute`):
1. The counted responses become columns: sector, community, gender, age band, one
   value per item (NaN when not answered). An agreement item counts as a share of
   those agreeing (4 or 5), a yes/no item the share answering yes, a choice item one
   share per option, a 0–10 score its mean; free text is not estimated.
2. Weights: post-stratified to each sector's population (the figure CPIS holds for the
   sector; the median sector's when it holds none), then raked to the wave's margins
   (community, gender, age band) while keeping every sector's total. Respondents who
   did not say are a category of their own whose weight raking leaves as it found it.
3. Additive sums per (sector × group × item) (stats.tables), added up from the
   cells of respondents who weigh the same (`Cells`); a station's sums are its
   sectors', and so on up, so every level comes from the same table.
4. Suppression: a figure from fewer than the wave's `min_n` answers is withheld here,
   so every page, export and API that reads these results withholds it too.

A wave's results are cached, keyed by what they depend on (the counted responses, the
wave, its margins), so only a new response or review computes them again."""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, TextField
from django.db.models.functions import Cast
from numpy.typing import NDArray

from cpis.core.collector import cycle_collection_paused
from cpis.organisation.models import Unit, UnitKind

from ..models import AgeBand, Community, Gender, Question, QuestionKind, Response, Wave, WaveStatus
from ..stats import tables

logger = logging.getLogger(__name__)

LEVELS = ("sector", "station", "region", "country")
# Path depth of each level's unit: directorate/region/station/…/sector.
_DEPTH = {"country": 1, "region": 2, "station": 3}
DIMENSIONS: dict[str, list[str]] = {
    "all": [""],
    "community": [str(c) for c in Community.values],
    "gender": [str(g) for g in Gender.values],
    "age_band": [str(a) for a in AgeBand.values],
}
AGREE = 4  # an agreement of 4 or 5 counts as agreeing
SCORE_BOUNDS = (0.0, 10.0)  # the only mean is a 0–10 score


@dataclass(frozen=True)
class Item:
    """One estimated figure of a questionnaire: a question, or one option of a choice
    question. `key` is what the API and exports call it ("confidence",
    "top_issue:drugs")."""

    key: str
    question: Question
    option: str = ""
    is_share: bool = True

    @property
    def label(self) -> str:
        if not self.option:
            return self.question.text
        options = {o.code: o.label for o in self.question.options.all()}
        return f"{self.question.text} — {options.get(self.option, self.option)}"


def items_of(version_id: int) -> list[Item]:
    """The estimated items of a questionnaire version, in its order."""
    found: list[Item] = []
    for question in Question.objects.filter(version_id=version_id).prefetch_related("options"):
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            found += [Item(f"{question.code}:{o.code}", question, o.code) for o in question.options.all()]
        elif question.kind == QuestionKind.SCORE10:
            found.append(Item(question.code, question, is_share=False))
        elif question.kind != QuestionKind.TEXT:
            found.append(Item(question.code, question))
    return found


def item_value(item: Item, answer: object) -> float:
    """A respondent's value for an item: 1/0 for a share, the score for a mean, NaN
    when they did not answer it."""
    kind = item.question.kind
    if answer is None or answer == "" or answer == []:
        return math.nan
    if kind == QuestionKind.AGREE5:
        return 1.0 if int(answer) >= AGREE else 0.0  # type: ignore[call-overload]
    if kind == QuestionKind.SCORE10:
        return float(answer)  # type: ignore[arg-type]
    if kind == QuestionKind.YESNO:
        return 1.0 if int(answer) == 1 else 0.0  # type: ignore[call-overload]
    if kind == QuestionKind.SINGLE:
        return 1.0 if answer == item.option else 0.0
    if kind == QuestionKind.MULTIPLE:
        return 1.0 if item.option in answer else 0.0  # type: ignore[operator]
    return math.nan


# --- the wave as columns, and its weights -----------------------------------------------


BACKGROUND = ("community", "gender", "age_band")


@dataclass
class Cells:
    """A wave's respondents grouped by everything their weight depends on: sector,
    community, gender and age band. Everyone in a cell weighs the same, so weighting
    and the sums work on the few thousand cells, not on every respondent."""

    of_respondent: NDArray[np.int64]
    sector: NDArray[np.int64]
    background: dict[str, NDArray[np.int64]]
    count: NDArray[np.float64]
    # The weight of one respondent of the cell.
    weights: NDArray[np.float64]

    @classmethod
    def of(cls, sector: NDArray[np.int64], background: dict[str, NDArray[np.int64]]) -> Cells:
        key = sector.copy()
        for dimension in BACKGROUND:
            key = key * (len(DIMENSIONS[dimension]) + 1) + background[dimension]
        unique, of_respondent = np.unique(key, return_inverse=True)
        codes: dict[str, NDArray[np.int64]] = {}
        for dimension in reversed(BACKGROUND):
            unique, codes[dimension] = np.divmod(unique, len(DIMENSIONS[dimension]) + 1)
        count = np.bincount(of_respondent, minlength=len(unique)).astype(float)
        return cls(of_respondent.ravel(), unique, codes, count, np.ones(len(unique)))


@dataclass
class Frame:
    """A wave's counted responses as columns. Background codes are 0 for "did not
    say" and 1.. for the categories of DIMENSIONS, in order."""

    sectors: list[Unit]
    sector: NDArray[np.int64]
    background: dict[str, NDArray[np.int64]]
    values: NDArray[np.float64]
    cells: Cells
    weighted: bool
    # The responses' ids, aligned with the rows (what the exports join the weights on).
    ids: NDArray[np.int64]

    @property
    def weights(self) -> NDArray[np.float64]:
        """Each respondent's weight."""
        return self.cells.weights[self.cells.of_respondent]


def _codes(raw: tuple[str, ...], categories: list[str]) -> NDArray[np.int64]:
    index = {c: i + 1 for i, c in enumerate(categories)}
    return np.fromiter(map(index.get, raw, repeat(0)), dtype=np.int64, count=len(raw))


def wave_sectors(wave: Wave) -> list[Unit]:
    """The sectors a wave surveys, in path order."""
    return list(
        Unit.objects.filter(kind=UnitKind.SECTOR, path__startswith=wave.place.path)
        .only("id", "path", "population", "parent_id", "name_sq", "name_sr", "name_en", "code")
        .order_by("path")
    )


def _numbers(answers: list[dict], code: str) -> NDArray[np.float64]:
    """A question's answers as numbers, NaN where not answered."""
    found = map(dict.get, answers, repeat(code), repeat(math.nan))
    try:
        # Every answer a number (or missing): the usual case, without an interim list.
        return np.fromiter(found, dtype=float, count=len(answers))
    except (TypeError, ValueError):
        raw = [a.get(code) for a in answers]
        return np.array([np.nan if v is None or v == "" else v for v in raw], dtype=float)


def _item_columns(items: list[Item], answers: list[dict]) -> NDArray[np.float64]:
    """Respondents × items, each question's answers read once and converted as a
    column (see `item_value` for what a value means)."""
    values = np.full((len(answers), len(items)), np.nan)
    columns: dict[str, NDArray[Any]] = {}
    for j, item in enumerate(items):
        code, kind = item.question.code, item.question.kind
        if kind in (QuestionKind.AGREE5, QuestionKind.SCORE10, QuestionKind.YESNO):
            if code not in columns:
                columns[code] = _numbers(answers, code)
            number = columns[code]
            if kind == QuestionKind.AGREE5:
                number = np.where(np.isnan(number), np.nan, (number >= AGREE).astype(float))
            elif kind == QuestionKind.YESNO:
                number = np.where(np.isnan(number), np.nan, (number == 1).astype(float))
            values[:, j] = number
        elif kind == QuestionKind.SINGLE:
            if code not in columns:
                columns[code] = np.array(list(map(dict.get, answers, repeat(code), repeat(""))), dtype=str)
            text = columns[code]
            values[:, j] = np.where(text == "", np.nan, (text == item.option).astype(float))
        else:
            values[:, j] = [item_value(item, a.get(code)) for a in answers]
    return values


def load_frame(wave: Wave, items: list[Item]) -> Frame:
    # Reading a wave makes a hundred thousand tuples and dicts at once: the cyclic
    # collector waits (half the time of reading a wave, bench/surveys.py).
    with cycle_collection_paused():
        return _load_frame(wave, items)


def _load_frame(wave: Wave, items: list[Item]) -> Frame:
    sectors = wave_sectors(wave)
    position = {s.pk: i for i, s in enumerate(sectors)}
    rows = list(
        Response.objects.counted()
        .filter(wave=wave, sector_id__in=position)
        # The answers as their JSON text, decoded in one call for the whole wave: half
        # the time of decoding them row by row (bench/surveys.py).
        .values_list("sector_id", "community", "gender", "age_band", Cast("answers", TextField()), "id")
    )
    columns = list(zip(*rows, strict=True)) or [()] * 6
    answers = json.loads("[" + ",".join(columns[4]) + "]")
    sector = np.fromiter(map(position.__getitem__, columns[0]), dtype=np.int64, count=len(rows))
    background = {dim: _codes(columns[k], DIMENSIONS[dim]) for k, dim in enumerate(BACKGROUND, start=1)}
    frame = Frame(
        sectors,
        sector,
        background,
        _item_columns(items, answers),
        Cells.of(sector, background),
        weighted=False,
        ids=np.array(columns[5], dtype=np.int64),
    )
    if rows:
        frame.cells.weights, frame.weighted = _weights(wave, sectors, frame.cells)
    return frame


def _weights(wave: Wave, sectors: list[Unit], cells: Cells) -> tuple[NDArray[np.float64], bool]:
    """Post-stratification to sector populations, then raking to the wave's margins
    (see the module's docstring), for the respondents of each cell. (weights, whether
    any population figure was used)."""
    known = [s.population for s in sectors if s.population]
    if not known:
        return np.ones(len(cells.count)), False
    typical = float(np.median(known))
    population = np.array([float(s.population or typical) for s in sectors])
    counts = np.bincount(cells.sector, weights=cells.count, minlength=len(sectors))
    sampled = counts > 0
    w = population[cells.sector] / counts[cells.sector]
    # Raking scales what each cell weighs in all; a respondent's weight is its share.
    weight = w * cells.count
    total = float(population[sampled].sum())
    margins: list[tuple[NDArray[np.int64], NDArray[np.float64]]] = [
        (cells.sector, np.where(sampled, population, 0.0))
    ]
    shares: dict[str, dict[str, float]] = {}
    for dimension, category, share in wave.margins.values_list("dimension", "category", "share"):
        shares.setdefault(dimension, {})[category] = share
    for dimension, given in shares.items():
        codes = cells.background[dimension]
        categories = DIMENSIONS[dimension]
        present = np.bincount(codes, minlength=len(categories) + 1) > 0
        unsaid = float(weight[codes == 0].sum())
        wanted = np.array(
            [0.0] + [given.get(c, 0.0) if present[i + 1] else 0.0 for i, c in enumerate(categories)]
        )
        if wanted.sum() <= 0:
            continue
        targets = wanted / wanted.sum() * (total - unsaid)
        targets[0] = unsaid
        margins.append((codes, targets))
    if len(margins) == 1:
        return w, True
    try:
        return tables.rake_codes(margins, weight) / cells.count, True
    except ValueError:
        logger.warning("wave %s: raking did not converge; post-stratified weights only", wave.pk)
        return w, True


# --- every figure of a wave ---------------------------------------------------------------


@dataclass
class Table:
    """Every figure of a wave: `figures[(level, dimension)]` has arrays of shape
    places × categories × items, places as in `places[level]` (unit ids)."""

    wave_id: int
    min_n: int
    items: list[str]
    is_share: NDArray[np.bool_]
    places: dict[str, list[int]]
    figures: dict[tuple[str, str], tables.Figures]
    sums: dict[tuple[str, str], NDArray[np.float64]]
    small_area: tables.Figures | None
    weighted: bool
    responses: int
    place_index: dict[str, dict[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.place_index = {level: {p: i for i, p in enumerate(ids)} for level, ids in self.places.items()}


def _level_units(sectors: list[Unit]) -> dict[str, tuple[list[int], NDArray[np.int64]]]:
    """For each level: the unit ids of that level the sectors belong to, and each
    sector's index among them."""
    prefixes = {
        level: ["/".join(s.path.strip("/").split("/")[:depth]) + "/" for s in sectors]
        for level, depth in _DEPTH.items()
    }
    units = dict(
        Unit.objects.filter(path__in={p for ps in prefixes.values() for p in ps}).values_list("path", "id")
    )
    out: dict[str, tuple[list[int], NDArray[np.int64]]] = {
        "sector": ([s.pk for s in sectors], np.arange(len(sectors)))
    }
    for level, paths in prefixes.items():
        ids = sorted({units[p] for p in paths if p in units})
        index = {u: i for i, u in enumerate(ids)}
        out[level] = (ids, np.array([index.get(units.get(p, -1), -1) for p in paths], dtype=np.int64))
    return out


def compute(wave: Wave) -> Table:
    """Every figure of a wave, from its counted responses (not cached: see `table`).
    BLAS runs on one thread here: the matrices are small (sectors × stations), and
    OpenBLAS's threads, competing for the cores with the server's other workers, made
    a wave several times slower (bench/surveys.py)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _compute(wave)


def _compute(wave: Wave) -> Table:
    items = items_of(wave.version_id)
    frame = load_frame(wave, items)
    is_share = np.array([item.is_share for item in items], dtype=bool)
    levels = _level_units(frame.sectors)
    s = len(frame.sectors)
    figures: dict[tuple[str, str], tables.Figures] = {}
    sums_by: dict[tuple[str, str], NDArray[np.float64]] = {}
    # Which sectors each unit of a level holds, as a units × sectors 0/1 matrix.
    members = {}
    for level, (ids, of_sector) in levels.items():
        matrix = np.zeros((len(ids), s))
        mapped = of_sector >= 0
        matrix[of_sector[mapped], np.arange(s)[mapped]] = 1.0
        members[level] = matrix
    by_dimension: dict[str, NDArray[np.float64]] = {}
    cells = frame.cells
    cell_sums = tables.weighted_sums(
        tables.answer_sums(cells.of_respondent, len(cells.count), frame.values), cells.weights
    )
    for dimension in BACKGROUND:
        k = len(DIMENSIONS[dimension]) + 1  # code 0: did not say
        sums = tables.sums_by_cell(cells.sector * k + cells.background[dimension], s * k, cell_sums)
        by_dimension[dimension] = sums.reshape(s, k, len(items), tables.SUMS)
    # Everyone's sums are any dimension's summed over its categories ("did not say" too).
    by_dimension["all"] = by_dimension["community"].sum(axis=1, keepdims=True)
    for dimension in DIMENSIONS:
        sums = by_dimension[dimension] if dimension == "all" else by_dimension[dimension][:, 1:]
        for level in levels:
            level_sums = (
                sums if level == "sector" else np.asarray(np.tensordot(members[level], sums, axes=1), float)
            )
            figures[(level, dimension)] = tables.estimates_from_sums(level_sums, is_share)
            sums_by[(level, dimension)] = level_sums
    return Table(
        wave_id=wave.pk,
        min_n=wave.min_n,
        items=[item.key for item in items],
        is_share=is_share,
        places={level: ids for level, (ids, _i) in levels.items()},
        figures=figures,
        sums=sums_by,
        small_area=_small_area(figures, sums_by[("sector", "all")], levels["station"][1], is_share),
        weighted=frame.weighted,
        responses=len(frame.sector),
    )


def _small_area(
    figures: dict[tuple[str, str], tables.Figures],
    sums: NDArray[np.float64],
    groups: NDArray[np.int64],
    is_share: NDArray[np.bool_],
) -> tables.Figures:
    """Fay–Herriot estimates of every sector and item (group: everyone), each sector
    shrunk toward its station (`groups`: the sector's station index): shares on the
    arcsine scale, means with their station's pooled spread (stats.small_area).
    `variance` holds the model's MSE on the scale it was fitted on."""
    from ..stats import small_area

    sector = figures[("sector", "all")]
    shape = sector.estimate.shape[0], sector.estimate.shape[-1]
    estimate, low, high = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    variance = np.full(shape, np.nan)
    design = small_area.indicators(groups)
    for j in range(shape[1]):
        direct, n, n_eff = sector.estimate[:, 0, j], sector.n[:, 0, j], sector.n_effective[:, 0, j]
        if not np.any(n > 1):
            continue
        if is_share[j]:
            fit = small_area.small_area_shares(direct, n_eff, design)
        else:
            spread = tables.spread(sums[:, 0, j])
            fit = small_area.small_area_means(direct, spread, n, n_eff, groups, design, bounds=SCORE_BOUNDS)
        estimate[:, j], low[:, j], high[:, j], variance[:, j] = fit.estimate, fit.low, fit.high, fit.model.mse
    return tables.Figures(
        estimate=estimate,
        low=low,
        high=high,
        n=sector.n[:, 0, :],
        n_effective=sector.n_effective[:, 0, :],
        variance=variance,
    )


def _stamp(wave: Wave) -> str:
    """What a wave's results depend on, as a short key."""
    counted = (
        Response.objects.counted()
        .filter(wave=wave)
        .aggregate(n=Count("id"), last=Max("id"), reviewed=Max("reviewed_at"))
    )
    margins = sorted(wave.margins.values_list("dimension", "category", "share"))
    raw = repr((counted, margins, wave.version_id, wave.place_id, wave.min_n, wave.updated_at))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def table(wave: Wave) -> Table:
    """A wave's figures, from the cache when nothing they depend on has changed."""
    key = f"surveys:results:{wave.pk}:{_stamp(wave)}"
    found = cache.get(key)
    if found is None:
        found = compute(wave)
        cache.set(key, found, timeout=24 * 3600)
    return found


# --- results as records -------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """One figure, as pages, exports and the API show it. A proportion's estimate is
    a share between 0 and 1. Suppressed: estimate, interval and n_effective are None."""

    item: str
    place: int
    level: str
    group: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    n_effective: float | None
    weighted: bool
    method: str
    suppressed: bool


def _group_key(dimension: str, category: str) -> str:
    return "all" if dimension == "all" else f"{dimension}:{category}"


def _number(value: float) -> float | None:
    return None if not math.isfinite(value) else float(value)


def _record(
    t: Table, level: str, dimension: str, category: str, p: int, c: int, j: int, method: str
) -> Result:
    small = method == "small_area"
    f = t.small_area if small and t.small_area is not None else t.figures[(level, dimension)]
    index = (p, j) if small else (p, c, j)
    n = int(f.n[index])
    suppressed = n < t.min_n or not math.isfinite(f.estimate[index])
    return Result(
        item=t.items[j],
        place=t.places[level][p],
        level=level,
        group=_group_key(dimension, category),
        estimate=None if suppressed else _number(f.estimate[index]),
        ci_low=None if suppressed else _number(f.low[index]),
        ci_high=None if suppressed else _number(f.high[index]),
        n=n,
        n_effective=None if suppressed else round(float(f.n_effective[index]), 1),
        weighted=t.weighted,
        method=method,
        suppressed=suppressed,
    )


def results(
    t: Table,
    level: str,
    *,
    places: Iterable[int] | None = None,
    groups: Iterable[str] = ("all",),
    items: Iterable[str] | None = None,
    small_area: bool = True,
) -> list[Result]:
    """The figures of one level, for the given places (unit ids; all of the level
    when None), groups ("all", "community:serb", …) and items (all when None). At
    sector level each figure comes with its small-area estimate after it."""
    if level not in LEVELS:
        raise ValueError(level)
    index = t.place_index[level]
    chosen = list(index) if places is None else [p for p in places if p in index]
    wanted_items = range(len(t.items)) if items is None else [t.items.index(i) for i in items if i in t.items]
    out: list[Result] = []
    for group in groups:
        dimension, _sep, category = group.partition(":")
        if dimension not in DIMENSIONS or (dimension != "all" and category not in DIMENSIONS[dimension]):
            continue
        c = 0 if dimension == "all" else DIMENSIONS[dimension].index(category)
        shrunk = t.small_area if t.small_area is not None else t.figures[(level, dimension)]
        with_small_area = small_area and level == "sector" and dimension == "all" and t.small_area is not None
        for place in chosen:
            p = index[place]
            for j in wanted_items:
                direct_method = "wilson" if t.is_share[j] else "t"
                out.append(_record(t, level, dimension, category, p, c, j, direct_method))
                if with_small_area and math.isfinite(shrunk.estimate[p, j]):
                    out.append(_record(t, level, dimension, category, p, c, j, "small_area"))
    return out


def all_groups() -> list[str]:
    return [_group_key(d, c) for d, categories in DIMENSIONS.items() for c in categories]


# --- change between waves, gaps between communities ---------------------------------------


@dataclass(frozen=True)
class Difference:
    """A difference of two figures (this minus the other) with its 95 % interval;
    None when either side is suppressed."""

    item: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    method: str


def _difference(
    a: tuple[float, float, float], b: tuple[float, float, float], is_share: bool
) -> tuple[float, float, float]:
    """(estimate, low, high) of a − b from (estimate, n_eff, variance) of each side:
    Newcombe's hybrid score interval at the effective n for shares, the normal
    interval from the two variances for means."""
    from ..stats import estimates

    if is_share:
        d = estimates.difference(a[0] * a[1], a[1], b[0] * b[1], b[1])
        return d.estimate, d.low, d.high
    half = tables.Z95 * math.sqrt(a[2] + b[2])
    return a[0] - b[0], a[0] - b[0] - half, a[0] - b[0] + half


def _side(t: Table, key: tuple[str, str], p: int, c: int, j: int) -> tuple[float, float, float] | None:
    f = t.figures[key]
    if f.n[p, c, j] < t.min_n or not math.isfinite(f.estimate[p, c, j]):
        return None
    return float(f.estimate[p, c, j]), float(f.n_effective[p, c, j]), float(f.variance[p, c, j])


def change(now: Table, before: Table, level: str, place: int, group: str = "all") -> list[Difference]:
    """This wave minus an earlier one, item by item, at one place and group."""
    dimension, _sep, category = group.partition(":")
    c = 0 if dimension == "all" else DIMENSIONS[dimension].index(category)
    out = []
    for j, item in enumerate(now.items):
        a = (
            _side(now, (level, dimension), now.place_index[level][place], c, j)
            if place in now.place_index[level]
            else None
        )
        b = None
        if item in before.items and place in before.place_index[level]:
            b = _side(
                before, (level, dimension), before.place_index[level][place], c, before.items.index(item)
            )
        out.append(_pair(item, a, b, bool(now.is_share[j]), "newcombe" if now.is_share[j] else "normal"))
    return out


def community_gaps(t: Table, level: str, place: int, community: str) -> list[Difference]:
    """One community minus everyone else who said their community, item by item."""
    p = t.place_index[level][place]
    c = DIMENSIONS["community"].index(community)
    sums = t.sums[(level, "community")][p]
    rest = sums.sum(axis=0) - sums[c]
    others = tables.estimates_from_sums(rest[None, ...], t.is_share)
    out = []
    for j, item in enumerate(t.items):
        a = _side(t, (level, "community"), p, c, j)
        b = None
        if others.n[0, j] >= t.min_n and math.isfinite(others.estimate[0, j]):
            b = (float(others.estimate[0, j]), float(others.n_effective[0, j]), float(others.variance[0, j]))
        out.append(_pair(item, a, b, bool(t.is_share[j]), "newcombe" if t.is_share[j] else "normal"))
    return out


def _pair(
    item: str,
    a: tuple[float, float, float] | None,
    b: tuple[float, float, float] | None,
    is_share: bool,
    method: str,
) -> Difference:
    if a is None or b is None:
        return Difference(item, None, None, None, method)
    estimate, low, high = _difference(a, b, is_share)
    return Difference(item, estimate, low, high, method)


def previous_wave(wave: Wave) -> Wave | None:
    """The latest wave of the same questionnaire that started before this one."""
    return (
        Wave.objects.filter(
            version__questionnaire_id=wave.version.questionnaire_id,
            starts_on__lt=wave.starts_on,
        )
        .exclude(status=WaveStatus.PLANNED)
        .select_related("place", "version")
        .order_by("-starts_on")
        .first()
    )
