"""The report's charts, drawn with matplotlib on the Agg canvas only: pyplot
keeps global state and is not safe in a threaded server. The many small
indicator charts are drawn a strip at a time over a background drawn once,
then cut into tiles, because one matplotlib figure per indicator (axes,
ticks) costs seconds for a whole plan: the full plan renders in about 1.5 s."""

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PIL import Image

from cpis.plans.models import IndicatorUnit

from .common import STATUS_COLOURS, status_label

_DPI = 150
_COMPUTED_COLOUR = "#1f77b4"
_MANUAL_COLOUR = "#7b5ea7"
_TARGET_COLOUR = "#d62728"
_HALF_YEAR = re.compile(r"^(\d{4})\s*H[12]$")


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _png(figure: Figure) -> BytesIO:
    out = BytesIO()
    figure.savefig(out, format="png", dpi=_DPI, facecolor="white", pil_kwargs={"compress_level": 1})
    out.seek(0)
    return out


def summary_chart(goals: Sequence[Mapping[str, Any]], statuses: Sequence[str]) -> BytesIO:
    """One stacked bar per goal, a segment per status, counts inside."""
    bar_in, top_in, bottom_in = 0.42, 0.12, 0.62
    height = top_in + bar_in * max(len(goals), 1) + bottom_in
    figure = Figure(figsize=(7.2, height), dpi=_DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.12, bottom_in / height, 0.85, 1 - (top_in + bottom_in) / height))
    positions = list(range(len(goals)))
    left = [0] * len(goals)
    for status in statuses:
        counts = [int(goal.get("totals", {}).get(status, 0)) for goal in goals]
        bars = axes.barh(
            positions,
            counts,
            left=left,
            height=0.62,
            color=STATUS_COLOURS.get(status, "#555555"),
            label=status_label(status),
        )
        axes.bar_label(
            bars, labels=[str(c) if c else "" for c in counts], label_type="center", fontsize=7, color="white"
        )
        left = [a + b for a, b in zip(left, counts, strict=True)]
    axes.set_yticks(positions, [_("Goal %(number)s") % {"number": g["number"]} for g in goals], fontsize=8)
    axes.invert_yaxis()
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="x", labelsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    handles, labels = axes.get_legend_handles_labels()
    figure.legend(
        handles,
        labels,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.02),
        ncols=len(statuses),
        fontsize=7,
        frameon=False,
        handlelength=1.2,
        columnspacing=1.0,
    )
    return _png(figure)


def nice_ceiling(value: float) -> float:
    """The top of a chart's scale: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    base = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0):
        if value <= step * base * (1 + 1e-9):
            return step * base
    return 10.0 * base


def _period_ticks(periods: Sequence[str]) -> list[tuple[float, str]]:
    """Where to label the time axis of a small chart: one label per year when
    the periods are half-years ("2014 H1"), else the first and the last."""
    years = [m.group(1) if (m := _HALF_YEAR.match(p)) else None for p in periods]
    if periods and all(years):
        ticks: dict[str, list[int]] = {}
        for index, year in enumerate(years):
            ticks.setdefault(str(year), []).append(index)
        return [(sum(indices) / len(indices), year) for year, indices in ticks.items()]
    if len(periods) <= 2:
        return [(float(index), label) for index, label in enumerate(periods)]
    return [(0, periods[0]), (len(periods) - 1, periods[-1])]


_TILE_WIDTH = 2.2  # inches
_TILE_HEIGHT = 0.62
_TILES_PER_STRIP = 12
_PLOT_LEFT, _PLOT_RIGHT = 0.3, _TILE_WIDTH - 0.06  # inches from the tile's left edge
_PLOT_TOP, _PLOT_HEIGHT = 0.06, 0.42  # inches from the tile's top edge


def _axis_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _scale(indicator: Mapping[str, Any], values: Sequence[float | None]) -> float:
    """The top of an indicator's chart: 100 for percentages, 1 for done-or-not,
    else a round number above the largest value and the target."""
    highest = max([v or 0 for v in values] + [indicator.get("target") or 0])
    unit = indicator.get("unit", "")
    if unit == IndicatorUnit.PERCENT and highest <= 100:
        return 100.0
    if unit == IndicatorUnit.YES_NO and highest <= 1:
        return 1.0
    return nice_ceiling(highest)


class _TileStrip:
    """Small charts of indicators, drawn a strip of tiles at a time and cut apart.

    What every tile shares (axes lines, "0", the year labels) is drawn once;
    per strip only the bars, target lines, gap dots and scale labels are
    drawn over a copy of that background (matplotlib's blitting). Axes with
    ticks per indicator, or even new text objects per strip, made the
    report several times slower.
    """

    def __init__(self, periods: Sequence[str]) -> None:
        self.count = max(len(periods), 1)
        self.slot = (_PLOT_RIGHT - _PLOT_LEFT) / self.count
        self.figure = Figure(figsize=(_TILE_WIDTH, _TILE_HEIGHT * _TILES_PER_STRIP), dpi=_DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        axes = self.figure.add_axes((0, 0, 1, 1))
        axes.set_axis_off()
        axes.set_xlim(0, _TILE_WIDTH)
        axes.set_ylim(_TILE_HEIGHT * _TILES_PER_STRIP, 0)  # inches, downwards like the page
        frame = []
        ticks = _period_ticks(periods)
        for position in range(_TILES_PER_STRIP):
            top, baseline = self._top(position), self._baseline(position)
            frame += [
                [(_PLOT_LEFT, baseline), (_PLOT_RIGHT, baseline)],
                [(_PLOT_LEFT, baseline), (_PLOT_LEFT, top)],
            ]
            axes.text(
                _PLOT_LEFT - 0.04, baseline, "0", fontsize=5.5, ha="right", va="bottom", parse_math=False
            )
            for index, label in ticks:
                x = _PLOT_LEFT + (index + 0.5) * self.slot
                axes.text(x, baseline + 0.03, label, fontsize=5.5, ha="center", va="top", parse_math=False)
        axes.add_collection(LineCollection(frame, colors="#666666", linewidths=0.6))
        self.bars = PolyCollection([], edgecolors="none", animated=True)
        self.targets = LineCollection(
            [], colors=_TARGET_COLOUR, linewidths=0.9, linestyles=(0, (3, 2)), animated=True
        )
        axes.add_collection(self.bars)
        axes.add_collection(self.targets)
        (self.gaps,) = axes.plot(
            [], [], linestyle="none", marker="o", markersize=1.6, color="#aaaaaa", animated=True
        )
        self.scales = [
            axes.text(
                _PLOT_LEFT - 0.04,
                self._top(position),
                "",
                fontsize=5.5,
                ha="right",
                va="top",
                parse_math=False,
                animated=True,
            )
            for position in range(_TILES_PER_STRIP)
        ]
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)

    @staticmethod
    def _top(position: int) -> float:
        return position * _TILE_HEIGHT + _PLOT_TOP

    @staticmethod
    def _baseline(position: int) -> float:
        return position * _TILE_HEIGHT + _PLOT_TOP + _PLOT_HEIGHT

    def render(self, strip: Sequence[Mapping[str, Any]]) -> list[BytesIO]:
        bars: list[list[tuple[float, float]]] = []
        colours: list[str] = []
        targets: list[list[tuple[float, float]]] = []
        gaps_x: list[float] = []
        gaps_y: list[float] = []
        for position in range(_TILES_PER_STRIP):
            if position >= len(strip):
                self.scales[position].set_text("")
                continue
            indicator = strip[position]
            baseline = self._baseline(position)
            values: list[float | None] = list(indicator.get("values", []))[: self.count]
            values += [None] * (self.count - len(values))
            scale = _scale(indicator, values)
            self.scales[position].set_text(_axis_number(scale))
            colour = _COMPUTED_COLOUR if indicator.get("computed") else _MANUAL_COLOUR
            for index, value in enumerate(values):
                x0 = _PLOT_LEFT + (index + 0.16) * self.slot
                if value is None:
                    gaps_x.append(x0 + 0.34 * self.slot)
                    gaps_y.append(baseline - 0.025)
                    continue
                height = max(min(value / scale, 1.05), 0) * _PLOT_HEIGHT
                x1 = x0 + 0.68 * self.slot
                bars.append(
                    [(x0, baseline), (x1, baseline), (x1, baseline - height), (x0, baseline - height)]
                )
                colours.append(colour)
            target = indicator.get("target")
            if target is not None:
                level = baseline - max(min(target / scale, 1.05), 0) * _PLOT_HEIGHT
                targets.append([(_PLOT_LEFT, level), (_PLOT_RIGHT, level)])
        self.canvas.restore_region(self.background)
        self.bars.set_verts(bars)
        self.bars.set_facecolor(colours)
        self.targets.set_segments(targets)
        self.gaps.set_data(gaps_x, gaps_y)
        for artist in (self.bars, self.targets, self.gaps, *self.scales):
            self.figure.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        image = image.convert("RGB")
        tiles = []
        for position in range(len(strip)):
            box = (
                0,
                round(position * height / _TILES_PER_STRIP),
                width,
                round((position + 1) * height / _TILES_PER_STRIP),
            )
            out = BytesIO()
            image.crop(box).save(out, format="PNG", compress_level=1)
            out.seek(0)
            tiles.append(out)
        return tiles


def indicator_tiles(indicators: Sequence[Mapping[str, Any]], periods: Sequence[str]) -> list[BytesIO]:
    """A small PNG chart per indicator: a bar per period, the target as a
    dashed red line, a grey dot where no value was recorded."""
    if not indicators:
        return []
    strip = _TileStrip(periods)
    return [tile for chunk in _chunks(indicators, _TILES_PER_STRIP) for tile in strip.render(chunk)]
