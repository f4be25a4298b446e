"""The monthly tone chart as plain numbers that the template draws as inline SVG:
one stacked bar a month (positive at the bottom, then neutral, then negative),
readable without JavaScript and followed by its table."""

import math
from dataclasses import dataclass

from .selectors import Month

LEFT, RIGHT, TOP, BOTTOM = 40, 8, 10, 30
HEIGHT = 220


@dataclass(frozen=True)
class Block:
    x: float
    y: float
    width: float
    height: float
    tone: str
    value: int
    label: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class StackedChart:
    width: int
    height: int
    blocks: list[Block]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    baseline: float


def _top(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4
    return value


def tone_chart(months: list[Month]) -> StackedChart:
    """One stacked bar a month; a month's label on the axis as often as they fit."""
    width = max(480, LEFT + RIGHT + 40 * len(months))
    plot_w = width - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    top = _top(max((m.counts.total for m in months), default=0))
    slot = plot_w / max(1, len(months))
    bar = slot * 0.7
    baseline = TOP + plot_h
    blocks: list[Block] = []
    x_ticks: list[Tick] = []
    every = max(1, math.ceil(56 / slot))  # a label is about 50 px wide
    for i, month in enumerate(months):
        x = LEFT + i * slot + (slot - bar) / 2
        y = baseline
        label = month.month.strftime("%Y-%m")
        for tone in ("positive", "neutral", "negative"):
            value = getattr(month.counts, tone)
            h = plot_h * value / top if top else 0
            y -= h
            if value:
                blocks.append(Block(round(x, 1), round(y, 1), round(bar, 1), round(h, 1), tone, value, label))
        if i % every == 0:
            x_ticks.append(Tick(round(LEFT + i * slot + slot / 2, 1), label))
    y_ticks = [Tick(round(baseline - plot_h * k / 4, 1), str(top * k // 4)) for k in range(5)]
    return StackedChart(width, HEIGHT, blocks, y_ticks, x_ticks, baseline)
