"""How survey figures are shown on the staff pages: shares as whole percentages and
means with one decimal, in the reader's language's number format; a 95 % interval
as numbers and as a small bar; a change or a gap with its interval and whether the
interval leaves out zero; a sparkline of a place's waves; the map's colour classes
and their legend. Plain SVG with presentation attributes only (no CSS, no script),
hidden from screen readers because the numbers beside it say the same."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from .models import Dimension, QuestionKind
from .selectors.dashboard import GroupRow, ItemRow, PlaceRow
from .selectors.results import Difference, Item, Result

# The scale an item's figures lie on: a share 0–1, a score's mean 0–10 (the only
# mean a questionnaire has is the 0–10 score).
SHARE_TOP, MEAN_TOP = 1.0, 10.0
# Sequential colours (ColorBrewer PuBu, 5 classes), light = low.
RAMP = ("#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d")
SUPPRESSED_FILL = "#bdbdbd"
INK, MUTED, TRACK = "#1d4f91", "#6b7280", "#d9dee5"
UP, DOWN = "#1a7f37", "#b3261e"
MINUS = "\u2212"


def _top(is_share: bool) -> float:
    return SHARE_TOP if is_share else MEAN_TOP


# --- numbers ------------------------------------------------------------------------------


def _number(value: float, is_share: bool) -> str:
    """A share as a whole percentage number, a mean with one decimal (no unit)."""
    if is_share:
        return number_format(round(value * 100), 0)
    return number_format(round(value, 1), 1)


def figure(value: float, is_share: bool) -> str:
    if is_share:
        return pgettext("a percentage", "%(number)s %%") % {"number": _number(value, True)}
    return _number(value, False)


def interval(low: float, high: float, is_share: bool) -> str:
    template = (
        pgettext("an interval of percentages", "%(low)s–%(high)s %%")
        if is_share
        else pgettext("an interval of means", "%(low)s–%(high)s")
    )
    return template % {"low": _number(low, is_share), "high": _number(high, is_share)}


def _signed(value: float, is_share: bool) -> str:
    text = _number(abs(value), is_share)
    if text.strip("0.,") == "":
        return text
    return ("+" if value > 0 else MINUS) + text


def difference(value: float, is_share: bool) -> str:
    """A change or gap: percentage points for shares, score points for means."""
    if is_share:
        return pgettext("percentage points", "%(number)s pp") % {"number": _signed(value, True)}
    return _signed(value, False)


def difference_interval(low: float, high: float, is_share: bool) -> str:
    template = (
        pgettext("an interval of percentage points", "%(low)s to %(high)s pp")
        if is_share
        else pgettext("an interval of score points", "%(low)s to %(high)s")
    )
    return template % {"low": _signed(low, is_share), "high": _signed(high, is_share)}


def fewer_than(min_n: int) -> str:
    return ngettext("fewer than %(count)s answer", "fewer than %(count)s answers", min_n) % {"count": min_n}


def measure(item: Item) -> str:
    """What an item's figure is, for a legend or a heading."""
    kind = item.question.kind
    if kind == QuestionKind.SCORE10:
        return _("Mean score from 0 to 10")
    if kind == QuestionKind.AGREE5:
        return _("Share who agree or strongly agree, in per cent")
    if kind == QuestionKind.YESNO:
        return _("Share answering yes, in per cent")
    return _("Share giving this answer, in per cent")


# --- small SVGs ---------------------------------------------------------------------------

BAR_W, BAR_H = 96, 14


def _svg(width: int, height: int, body: list[str], title: str = "") -> SafeString:
    heading = f"<title>{escape(title)}</title>" if title else ""
    return mark_safe(  # noqa: S308 — built here from numbers; the one text is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="interval-bar" aria-hidden="true" focusable="false">'
        f"{heading}{''.join(body)}</svg>"
    )


def _x(value: float, low: float, high: float, width: int = BAR_W, pad: int = 3) -> float:
    share = (min(max(value, low), high) - low) / (high - low)
    return round(pad + share * (width - 2 * pad), 1)


def interval_bar(result: Result, is_share: bool) -> SafeString:
    """The interval as a line on the item's whole scale, the estimate a dot."""
    top = _top(is_share)
    mid = BAR_H / 2
    body = [f'<line x1="3" x2="{BAR_W - 3}" y1="{mid}" y2="{mid}" stroke="{TRACK}" stroke-width="2"/>']
    if result.estimate is not None and result.ci_low is not None and result.ci_high is not None:
        x0, x1 = _x(result.ci_low, 0, top), _x(result.ci_high, 0, top)
        body.append(f'<line x1="{x0}" x2="{x1}" y1="{mid}" y2="{mid}" stroke="{INK}" stroke-width="4"/>')
        body.append(f'<circle cx="{_x(result.estimate, 0, top)}" cy="{mid}" r="3.5" fill="{INK}"/>')
    return _svg(BAR_W, BAR_H, body)


def difference_bar(d: Difference, is_share: bool) -> SafeString:
    """A change or gap on a scale centred on zero (±50 points, ±5 for a score)."""
    reach = 0.5 if is_share else 5.0
    mid = BAR_H / 2
    zero = _x(0, -reach, reach)
    body = [
        f'<line x1="3" x2="{BAR_W - 3}" y1="{mid}" y2="{mid}" stroke="{TRACK}" stroke-width="2"/>',
        f'<line x1="{zero}" x2="{zero}" y1="1" y2="{BAR_H - 1}" stroke="{MUTED}" stroke-width="1"/>',
    ]
    if d.estimate is not None and d.ci_low is not None and d.ci_high is not None:
        colour = UP if d.ci_low > 0 else DOWN if d.ci_high < 0 else MUTED
        x0, x1 = _x(d.ci_low, -reach, reach), _x(d.ci_high, -reach, reach)
        body.append(f'<line x1="{x0}" x2="{x1}" y1="{mid}" y2="{mid}" stroke="{colour}" stroke-width="4"/>')
        body.append(f'<circle cx="{_x(d.estimate, -reach, reach)}" cy="{mid}" r="3.5" fill="{colour}"/>')
    return _svg(BAR_W, BAR_H, body)


def sparkline(points: list[tuple[str, Result | None]], is_share: bool) -> SafeString:
    """A place's figure over its waves, oldest first: a dot per wave with a
    figure, joined where consecutive waves both have one; its title says the
    figures in words."""
    width, height, pad = 84, 20, 3
    top = _top(is_share)
    step = (width - 2 * pad) / max(len(points) - 1, 1)
    body: list[str] = []
    words: list[str] = []
    previous: tuple[float, float] | None = None
    for k, (name, result) in enumerate(points):
        if result is None or result.estimate is None:
            words.append(f"{name}: –")
            previous = None
            continue
        x = round(pad + k * step, 1)
        y = round(height - pad - (height - 2 * pad) * min(max(result.estimate / top, 0), 1), 1)
        if previous is not None:
            x0, y0 = previous
            body.append(f'<line x1="{x0}" y1="{y0}" x2="{x}" y2="{y}" stroke="{INK}" stroke-width="1.5"/>')
        body.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{INK}"/>')
        words.append(f"{name}: {figure(result.estimate, is_share)}")
        previous = (x, y)
    return _svg(width, height, body, "; ".join(words))


# --- figures as a page shows them ---------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A figure ready for a table cell: suppressed ones carry no number at all."""

    suppressed: bool
    estimate: str
    interval: str
    bar: SafeString
    n: int
    n_effective: str
    withheld: str


def show(result: Result, is_share: bool, min_n: int) -> Shown:
    if result.suppressed or result.estimate is None or result.ci_low is None or result.ci_high is None:
        return Shown(True, "", "", mark_safe(""), result.n, "", fewer_than(min_n))
    return Shown(
        suppressed=False,
        estimate=figure(result.estimate, is_share),
        interval=interval(result.ci_low, result.ci_high, is_share),
        bar=interval_bar(result, is_share),
        n=result.n,
        n_effective=number_format(round(result.n_effective or 0), 0),
        withheld="",
    )


@dataclass(frozen=True)
class ShownDifference:
    available: bool
    estimate: str
    interval: str
    bar: SafeString
    excludes_zero: bool
    direction: str  # "up", "down" or ""


def show_difference(d: Difference | None, is_share: bool) -> ShownDifference:
    if d is None or d.estimate is None or d.ci_low is None or d.ci_high is None:
        return ShownDifference(False, "", "", mark_safe(""), False, "")
    excludes = d.ci_low > 0 or d.ci_high < 0
    return ShownDifference(
        available=True,
        estimate=difference(d.estimate, is_share),
        interval=difference_interval(d.ci_low, d.ci_high, is_share),
        bar=difference_bar(d, is_share),
        excludes_zero=excludes,
        direction=("up" if d.ci_low > 0 else "down") if excludes else "",
    )


# --- the map --------------------------------------------------------------------------------


def colour_class(value: float, is_share: bool) -> int:
    classes = len(RAMP)
    return min(max(math.floor(value / _top(is_share) * classes), 0), classes - 1)


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str


def legend(is_share: bool, min_n: int) -> list[LegendEntry]:
    """The colour classes (equal steps over the item's scale) and the grey of a
    suppressed sector."""
    top, classes = _top(is_share), len(RAMP)
    entries = [
        LegendEntry(colour, interval(top * k / classes, top * (k + 1) / classes, is_share))
        for k, colour in enumerate(RAMP)
    ]
    entries.append(
        LegendEntry(
            SUPPRESSED_FILL,
            _("Withheld: %(reason)s (hatched)") % {"reason": fewer_than(min_n)},
        )
    )
    return entries


def map_data(figures: list[Result], is_share: bool, min_n: int) -> dict[str, Any]:
    """What the map script needs, for `json_script`: per sector its colour (or
    withheld) and the words of its tooltip; a withheld sector's figure is not sent."""
    sectors: dict[str, dict[str, Any]] = {}
    for r in figures:
        shown = show(r, is_share, min_n)
        if shown.suppressed or r.estimate is None:
            sectors[str(r.place)] = {"colour": None, "text": shown.withheld, "withheld": True}
        else:
            sectors[str(r.place)] = {
                "colour": RAMP[colour_class(r.estimate, is_share)],
                "text": _("%(estimate)s (95 %% interval %(interval)s), %(n)s answers")
                % {"estimate": shown.estimate, "interval": shown.interval, "n": number_format(r.n)},
                "withheld": False,
            }
    return {"sectors": sectors, "withheld_fill": SUPPRESSED_FILL}


# --- rows of the pages ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceLine:
    unit: Any
    direct: Shown
    small_area: Shown | None
    change: ShownDifference


def place_lines(rows: list[PlaceRow], is_share: bool, min_n: int) -> list[PlaceLine]:
    return [
        PlaceLine(
            unit=row.unit,
            direct=show(row.direct, is_share, min_n),
            small_area=None if row.small_area is None else show(row.small_area, is_share, min_n),
            change=show_difference(row.change, is_share),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ItemLine:
    item: Item
    measure: str
    direct: Shown
    small_area: Shown | None
    change: ShownDifference
    trend: SafeString


def item_lines(rows: list[ItemRow], min_n: int) -> list[ItemLine]:
    return [
        ItemLine(
            item=row.item,
            measure=measure(row.item),
            direct=show(row.direct, row.item.is_share, min_n),
            small_area=None if row.small_area is None else show(row.small_area, row.item.is_share, min_n),
            change=show_difference(row.change, row.item.is_share),
            trend=sparkline([(p.wave.name, p.result) for p in row.trend], row.item.is_share)
            if len(row.trend) > 1
            else mark_safe(""),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class GroupLine:
    label: str
    shown: Shown
    gap: ShownDifference | None


@dataclass(frozen=True)
class GroupBlock:
    dimension: str
    heading: str
    lines: list[GroupLine]


def group_blocks(rows: list[GroupRow], is_share: bool, min_n: int) -> list[GroupBlock]:
    """The groups by dimension (community, gender, age band), each community
    with its gap to everyone else."""
    headings = dict(Dimension.choices)
    blocks: list[GroupBlock] = []
    for dimension in ("community", "gender", "age_band"):
        lines = [
            GroupLine(
                label=row.label,
                shown=show(row.result, is_share, min_n),
                gap=None if dimension != "community" else show_difference(row.gap, is_share),
            )
            for row in rows
            if row.dimension == dimension
        ]
        if lines:
            blocks.append(GroupBlock(dimension, str(headings[dimension]), lines))
    return blocks
