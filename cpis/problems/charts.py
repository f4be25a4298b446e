"""A problem's assessment chart as one SVG document, drawn on the server: the
weekly counts in the target area, the buffer and the control area, one panel
each on its own scale (the control is usually many times the target), the
response date marked and each window's weekly mean drawn across it. Plain SVG
with presentation attributes only (no CSS, no script), so the page shows it
inline and the PDF write-up can embed the same document; the page's table of
weekly counts says the same in words."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cpis.analytics.charts import nice_ticks

from .stats.assessment import AREAS

WIDTH = 640
LEFT, RIGHT, TOP = 44, 12, 8
PANEL_TITLE, PANEL_PLOT, PANEL_GAP = 16, 64, 12
AXIS = 30
COLOURS = {"target": "#1d4f91", "buffer": "#b35c00", "control": "#4d4d4d"}
MUTED = "#6b7280"
GRID = "#d9dee5"


@dataclass(frozen=True)
class Week:
    start: date
    days: int
    counts: dict[str, int]


def weeks(series: dict[str, Any]) -> list[Week]:
    """The stored weekly series as rows: first day, days in it, counts per area."""
    return [
        Week(
            start=date.fromisoformat(start),
            days=series["days"][k],
            counts={area: series[area][k] for area in AREAS},
        )
        for k, start in enumerate(series.get("weeks", []))
    ]


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def _panel(
    rows: list[Week], area: str, label: str, *, top_y: float, x_of: Any, response_x: float, response: date
) -> list[str]:
    """One area's panel: its title, scale, line of weekly rates and window means."""
    colour = COLOURS[area]
    plot_top = top_y + PANEL_TITLE
    bottom = plot_top + PANEL_PLOT
    rates = [row.counts[area] * 7 / row.days for row in rows]
    ticks = nice_ticks(max([*rates, 1.0]), count=2)
    ceiling = ticks[-1]

    def y_of(value: float) -> float:
        return round(bottom - PANEL_PLOT * value / ceiling, 1)

    parts = [
        f'<text x="{LEFT}" y="{top_y + 12}" font-size="12" font-weight="bold" fill="{colour}">'
        f"{escape(label)}</text>"
    ]
    for tick in ticks:
        y = y_of(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 4}" font-size="10" text-anchor="end" fill="{MUTED}">'
            f"{_number(tick)}</text>"
        )
    points = " ".join(f"{x_of(k)},{y_of(rate)}" for k, rate in enumerate(rates))
    if points:
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.8"/>')
    for side in (rows[: sum(r.start < response for r in rows)], [r for r in rows if r.start > response]):
        days = sum(r.days for r in side)
        if not side or not days:
            continue
        mean = sum(r.counts[area] for r in side) * 7 / days
        first, last = rows.index(side[0]), rows.index(side[-1])
        parts.append(
            f'<line x1="{x_of(first)}" x2="{x_of(last)}" y1="{y_of(mean)}" y2="{y_of(mean)}" '
            f'stroke="{colour}" stroke-width="1" stroke-dasharray="5 3" opacity="0.8"/>'
        )
    parts.append(
        f'<line x1="{response_x}" x2="{response_x}" y1="{plot_top}" y2="{bottom}" '
        f'stroke="#c0392b" stroke-width="1.2"/>'
    )
    return parts


def assessment_chart(series: dict[str, Any], *, response_date: date, window_days: int) -> SafeString:
    """The SVG of the weekly counts (per seven days, so that a short edge week
    reads on the same scale) in the three areas, with the response date."""
    rows = weeks(series)
    n_before = -(-window_days // 7)
    slots = 2 * n_before  # the after-window's room, filled as its weeks arrive
    plot_w = WIDTH - LEFT - RIGHT
    slot = plot_w / slots

    def x_of(k: int) -> float:
        return round(LEFT + (k + 0.5) * slot, 1)

    response_x = round(LEFT + n_before * slot, 1)
    labels = {
        "target": _("Target area"),
        "buffer": _("Buffer"),
        "control": _("Control area"),
    }
    height = TOP + 3 * (PANEL_TITLE + PANEL_PLOT + PANEL_GAP) + AXIS
    title = _("Incidents per week before and after the response date, %(date)s") % {
        "date": date_format(response_date, "SHORT_DATE_FORMAT")
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    for number, area in enumerate(AREAS):
        top_y = TOP + number * (PANEL_TITLE + PANEL_PLOT + PANEL_GAP)
        parts += _panel(
            rows, area, labels[area], top_y=top_y, x_of=x_of, response_x=response_x, response=response_date
        )
    axis_y = height - AXIS + 14
    for when, x, anchor in (
        (response_date - timedelta(days=window_days), LEFT, "start"),
        (response_date, response_x, "middle"),
        (response_date + timedelta(days=window_days), WIDTH - RIGHT, "end"),
    ):
        parts.append(
            f'<text x="{x}" y="{axis_y}" font-size="10" text-anchor="{anchor}" fill="{MUTED}">'
            f"{escape(date_format(when, 'SHORT_DATE_FORMAT'))}</text>"
        )
    parts.append(
        f'<text x="{response_x}" y="{axis_y + 13}" font-size="10" text-anchor="middle" fill="#c0392b">'
        f"{escape(_('response'))}</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
