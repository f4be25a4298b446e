"""Chart geometry for the analytics pages: plain numbers that the templates
draw as inline SVG (no chart library in the browser, readable without
JavaScript, every chart followed by its table)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

LEFT, RIGHT, TOP, BOTTOM = 48, 12, 10, 28


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    y_ticks: list[Tick]
    baseline: float


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class BandChart:
    width: int
    height: int
    line: str  # SVG polyline points
    band: str  # SVG polygon points of the expected range
    alarms: list[Marker]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    baseline: float


@dataclass(frozen=True)
class ScatterChart:
    width: int
    height: int
    points: list[Marker]
    flagged: list[Marker]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    baseline: float


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least `top` (1, 2 or 5 times a power of ten)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return ticks


def _label(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def bar_chart(
    labels: Sequence[str], values: Sequence[int], *, width: int = 560, height: int = 200
) -> BarChart:
    ticks = nice_ticks(max(values, default=0))
    top = ticks[-1]
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    slot = plot_w / max(len(values), 1)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * value / top
        bars.append(
            Bar(
                x=round(LEFT + index * slot + slot * 0.15, 1),
                y=round(TOP + plot_h - h, 1),
                width=round(slot * 0.7, 1),
                height=round(h, 1),
                label=label,
                value=int(value),
            )
        )
    y_ticks = [Tick(round(TOP + plot_h - plot_h * t / top, 1), _label(t)) for t in ticks]
    return BarChart(width=width, height=height, bars=bars, y_ticks=y_ticks, baseline=TOP + plot_h)


def band_chart(
    values: Sequence[float],
    lower: Sequence[float],
    upper: Sequence[float],
    labels: Sequence[str],
    alarms: Sequence[bool],
    *,
    width: int = 560,
    height: int = 200,
    every: int = 8,
) -> BandChart:
    """A weekly count line over its expected range (the Poisson band), with the
    weeks that raised an alarm marked."""
    finite_upper = [u for u in upper if math.isfinite(u)]
    ticks = nice_ticks(max([*values, *finite_upper, 1]))
    top = ticks[-1]
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    n = len(values)
    step = plot_w / max(n - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return round(LEFT + i * step, 1), round(TOP + plot_h - plot_h * min(v, top) / top, 1)

    line = " ".join("{},{}".format(*xy(i, v)) for i, v in enumerate(values))
    band_idx = [i for i in range(n) if math.isfinite(lower[i]) and math.isfinite(upper[i])]
    top_edge = ["{},{}".format(*xy(i, upper[i])) for i in band_idx]
    bottom_edge = ["{},{}".format(*xy(i, lower[i])) for i in reversed(band_idx)]
    band = " ".join(top_edge + bottom_edge)
    marks = [Marker(*xy(i, values[i]), labels[i]) for i in range(n) if alarms[i]]
    x_ticks = [Tick(xy(i, 0)[0], labels[i]) for i in range(0, n, every)]
    y_ticks = [Tick(round(TOP + plot_h - plot_h * t / top, 1), _label(t)) for t in ticks]
    return BandChart(width, height, line, band, marks, x_ticks, y_ticks, TOP + plot_h)


def scatter_chart(
    xs: Sequence[float],
    ys: Sequence[float],
    labels: Sequence[str],
    flagged: Sequence[bool],
    *,
    width: int = 560,
    height: int = 260,
) -> ScatterChart:
    x_ticks_v = nice_ticks(max(xs, default=1))
    y_ticks_v = nice_ticks(max(ys, default=1))
    x_top, y_top = x_ticks_v[-1], y_ticks_v[-1]
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM

    def xy(x: float, y: float) -> tuple[float, float]:
        return round(LEFT + plot_w * x / x_top, 1), round(TOP + plot_h - plot_h * y / y_top, 1)

    points: list[Marker] = []
    marked: list[Marker] = []
    for x, y, label, flag in zip(xs, ys, labels, flagged, strict=True):
        (marked if flag else points).append(Marker(*xy(x, y), label))
    return ScatterChart(
        width=width,
        height=height,
        points=points,
        flagged=marked,
        x_ticks=[Tick(xy(t, 0)[0], _label(t)) for t in x_ticks_v],
        y_ticks=[Tick(xy(0, t)[1], _label(t)) for t in y_ticks_v],
        baseline=TOP + plot_h,
    )
