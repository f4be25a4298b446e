"""The six-monthly evaluation report of the action plan, as PDF and XLSX
[Evaluation 7].

Both files are rendered from the frozen snapshot an evaluation stores, never
from live rows: a report printed years later must say what was frozen and
signed then. Nothing here touches the database, so a report can be rendered
in a task, in a test or again from an archived snapshot.

The PDF uses fpdf2 with the DejaVu fonts matplotlib ships (Albanian ë and ç,
Serbian Cyrillic), and matplotlib charts drawn on the Agg canvas only: pyplot
keeps global state and is not safe in a threaded server. The many small
indicator charts are drawn a strip at a time over a background drawn once,
then cut into tiles, because one matplotlib figure per indicator (axes,
ticks) costs seconds for a whole plan: the full plan renders in about 1.5 s.
"""

import logging
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from io import BytesIO
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image

from cpis.core.exports import safe_cell
from cpis.core.i18n import pick, to_serbian_latin
from cpis.core.pdf import FONT, add_fonts
from cpis.plans.models import IndicatorUnit, ProgressStatus

# fontTools logs every font subset at INFO; one report would fill the log.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

Snapshot = Mapping[str, Any]
Texts = Mapping[str, str]

_DPI = 150

# One colour per status, shared by the charts of both files, so that a
# reader who knows one report reads the other.
STATUS_COLOURS = {
    ProgressStatus.NOT_STARTED.value: "#9e9e9e",
    ProgressStatus.IN_PROGRESS.value: "#1f77b4",
    ProgressStatus.DONE.value: "#2ca02c",
    ProgressStatus.DELAYED.value: "#ff7f0e",
    ProgressStatus.CANCELLED.value: "#8b1a1a",
}
# Darker shades for status words in tables: orange text on white is hard to read.
_STATUS_TEXT = {
    ProgressStatus.NOT_STARTED.value: (90, 90, 90),
    ProgressStatus.IN_PROGRESS.value: (20, 90, 150),
    ProgressStatus.DONE.value: (30, 120, 30),
    ProgressStatus.DELAYED.value: (190, 90, 0),
    ProgressStatus.CANCELLED.value: (139, 26, 26),
}
_COMPUTED_COLOUR = "#1f77b4"
_MANUAL_COLOUR = "#7b5ea7"
_TARGET_COLOUR = "#d62728"
_RED = (180, 20, 20)
_GREEN = (30, 120, 30)
_GREY = (110, 110, 110)
_HEADING_FILL = (225, 230, 238)

_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_HALF_YEAR = re.compile(r"^(\d{4})\s*H[12]$")


# --- shared helpers -------------------------------------------------------


def _language_text(values: Texts | None) -> str:
    """A translated reference text in the active language (Serbian Latin from Cyrillic)."""
    return pick(values or {})


def _as_written(text: str | None) -> str:
    """A text stored as written (narratives, names): only Serbian Latin readers
    get it transliterated, since sr-latn is derived from Cyrillic everywhere."""
    text = text or ""
    if (translation.get_language() or "").lower() == "sr-latn":
        return to_serbian_latin(text)
    return text


def _parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _parse_datetime(value: str | None) -> datetime | None:
    """Local time of the deployment (Kosovo), as everywhere else in CPIS; the
    snapshot stores UTC."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return timezone.localtime(moment)


def _format_date(value: str | date | None) -> str:
    """dd.mm.yyyy in every language: the form used on paper in Kosovo."""
    if isinstance(value, str):
        value = _parse_date(value)
    return value.strftime("%d.%m.%Y") if value else ""


def _format_datetime(value: str | None) -> str:
    moment = _parse_datetime(value)
    return moment.strftime("%d.%m.%Y %H:%M") if moment else ""


def _status_label(status: str) -> str:
    return str(dict(ProgressStatus.choices).get(status, status))


def _unit_label(unit: str) -> str:
    return str(dict(IndicatorUnit.choices).get(unit, unit))


def _format_value(value: float | None, unit: str) -> str:
    """An indicator value as a reader expects it: yes/no for done-or-not
    indicators, a percent sign for percentages, local decimal separator."""
    if value is None:
        return "—"
    if unit == IndicatorUnit.YES_NO:
        return _("Yes") if value >= 1 else _("No")
    number = float(value)
    text = formats.number_format(number, decimal_pos=0 if number.is_integer() else 1)
    if unit == IndicatorUnit.PERCENT:
        return _("%(value)s%%") % {"value": text}
    return str(text)


def _latest(values: Sequence[float | None], periods: Sequence[str]) -> tuple[float, str] | None:
    for value, period in zip(reversed(values), reversed(periods), strict=False):
        if value is not None:
            return value, period
    return None


def _signed(evaluation: Mapping[str, Any]) -> bool:
    return bool(evaluation.get("signed_at"))


def _frozen_line(evaluation: Mapping[str, Any]) -> str:
    when = _format_datetime(evaluation.get("frozen_at"))
    if evaluation.get("frozen_by"):
        return _("Frozen on %(date)s by %(name)s") % {
            "date": when,
            "name": _as_written(evaluation["frozen_by"]),
        }
    return _("Frozen on %(date)s") % {"date": when}


def _signed_line(evaluation: Mapping[str, Any]) -> str:
    """The sign-off state in words; a draft says so plainly, since a draft
    printed and handed on must not be mistaken for the signed report."""
    if not _signed(evaluation):
        return _("Not signed off — draft")
    when = _format_datetime(evaluation.get("signed_at"))
    if evaluation.get("signed_by"):
        return _("Signed off on %(date)s by %(name)s") % {
            "date": when,
            "name": _as_written(evaluation["signed_by"]),
        }
    return _("Signed off on %(date)s") % {"date": when}


def _all_activities(
    snapshot: Snapshot,
) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any], Mapping[str, Any]]]:
    for goal in snapshot.get("goals", []):
        for objective in goal.get("objectives", []):
            for activity in objective.get("activities", []):
                yield goal, objective, activity


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _clean(text: str) -> str:
    """Tabs and carriage returns have no glyph in the PDF font."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")


# --- charts ---------------------------------------------------------------


def _png(figure: Figure) -> BytesIO:
    out = BytesIO()
    figure.savefig(out, format="png", dpi=_DPI, facecolor="white", pil_kwargs={"compress_level": 1})
    out.seek(0)
    return out


def _summary_chart(goals: Sequence[Mapping[str, Any]], statuses: Sequence[str]) -> BytesIO:
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
            label=_status_label(status),
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


def _nice_ceiling(value: float) -> float:
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
    return _nice_ceiling(highest)


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


def _indicator_tiles(indicators: Sequence[Mapping[str, Any]], periods: Sequence[str]) -> list[BytesIO]:
    """A small PNG chart per indicator: a bar per period, the target as a
    dashed red line, a grey dot where no value was recorded."""
    if not indicators:
        return []
    strip = _TileStrip(periods)
    return [tile for chunk in _chunks(indicators, _TILES_PER_STRIP) for tile in strip.render(chunk)]


# --- PDF ------------------------------------------------------------------


class _ReportPDF(FPDF):
    """A4 pages with the report's running header (plan, period, sign-off
    state) and "Page X of Y" footer, so any single printed page says what it
    belongs to and whether it is a draft."""

    def __init__(self, *, plan_title: str, evaluation_label: str, marker: str, signed: bool) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        add_fonts(self)
        self.set_margins(12, 17, 12)
        self.set_auto_page_break(True, margin=16)
        self.plan_title = plan_title
        self.evaluation_label = evaluation_label
        self.marker = marker
        self.signed = signed
        self.page_label = _("Page %(page)s of %(total)s")
        self.draft_watermark = _("DRAFT")
        self._fitted_title: str | None = None

    def _fit(self, text: str, width: float) -> str:
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def header(self) -> None:
        if not self.signed:
            with self.local_context(text_color=(238, 238, 238)):
                self.set_font(FONT, "B", 72)
                with self.rotation(45, x=self.w / 2, y=self.h / 2):
                    self.text(
                        self.w / 2 - self.get_string_width(self.draft_watermark) / 2,
                        self.h / 2 + 10,
                        self.draft_watermark,
                    )
        self.set_xy(self.l_margin, 8)
        self.set_font(FONT, "B", 7)
        marker_width = self.get_string_width(self.marker) + 2
        self.set_font(FONT, "", 7)
        label_width = self.get_string_width(self.evaluation_label) + 4
        if self._fitted_title is None:
            self._fitted_title = self._fit(self.plan_title, self.epw - marker_width - label_width - 2)
        self.set_text_color(*_GREY)
        self.cell(self.epw - marker_width - label_width, 4, self._fitted_title)
        self.cell(label_width, 4, self.evaluation_label)
        self.set_font(FONT, "B", 7)
        self.set_text_color(*(_GREEN if self.signed else _RED))
        self.cell(marker_width, 4, self.marker, align="R")
        self.set_draw_color(190, 190, 190)
        self.line(self.l_margin, 12.5, self.w - self.r_margin, 12.5)
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, "", 7)
        self.set_text_color(*_GREY)
        text = self.page_label % {"page": self.page_no(), "total": self.str_alias_nb_pages}
        self.cell(0, 4, text, align="C")


def _heading(pdf: _ReportPDF, text: str, *, size: float = 14, level: int = 0, outline: str = "") -> None:
    """A heading that never sits alone at the bottom of a page."""
    if pdf.will_page_break(size * 0.6 + 18):
        pdf.add_page()
    if outline:
        pdf.start_section(outline, level=level)
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(0, 0, 0)
    pdf.multi_cell(0, size * 0.5, _clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _paragraph(
    pdf: _ReportPDF,
    text: str,
    *,
    size: float = 9.5,
    colour: tuple[int, int, int] = (0, 0, 0),
    bold: bool = False,
) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.47, _clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _table(pdf: _ReportPDF, widths: Sequence[float], align: Sequence[str], **options: Any) -> Any:
    """fpdf2's table with the report's look: small type, multi-line cells,
    headings repeated on every page."""
    pdf.set_font(FONT, "", 7.5)
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(170, 170, 170)
    pdf.set_line_width(0.2)
    options.setdefault("v_align", "TOP")
    return pdf.table(
        col_widths=tuple(widths),
        text_align=tuple(align),
        line_height=3.5,
        padding=(0.8, 1.0),
        headings_style=FontFace(emphasis="BOLD", fill_color=_HEADING_FILL),
        first_row_as_headings=True,
        repeat_headings=1,
        **options,
    )


def _heading_row(table: Any, labels: Sequence[str]) -> None:
    row = table.row()
    for label in labels:
        row.cell(label)


def _status_style(status: str) -> FontFace:
    return FontFace(color=_STATUS_TEXT.get(status, (0, 0, 0)))


def _pdf_title_block(pdf: _ReportPDF, snapshot: Snapshot) -> None:
    plan, evaluation = snapshot["plan"], snapshot["evaluation"]
    period = evaluation.get("period", {})
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(
        0, 8.5, _clean(_language_text(plan.get("title"))), align="L", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(1)
    _paragraph(pdf, _("Evaluation for %(period)s") % {"period": period.get("label", "")}, size=14, bold=True)
    pdf.ln(2)
    lines = [
        _("Reporting period: %(start)s – %(end)s")
        % {"start": _format_date(period.get("start")), "end": _format_date(period.get("end"))},
        _("Action plan: %(start)s – %(end)s")
        % {"start": _format_date(plan.get("period_start")), "end": _format_date(plan.get("period_end"))},
    ]
    if evaluation.get("unit"):
        lines.append(_("Responsible unit: %(unit)s") % {"unit": _language_text(evaluation["unit"])})
    lines.append(_frozen_line(evaluation))
    for line in lines:
        _paragraph(pdf, line, size=10)
    pdf.ln(1)
    _paragraph(
        pdf, _signed_line(evaluation), size=11, bold=True, colour=_GREEN if _signed(evaluation) else _RED
    )
    pdf.ln(4)


def _pdf_summary(pdf: _ReportPDF, snapshot: Snapshot) -> None:
    statuses = list(snapshot.get("statuses", []))
    goals = list(snapshot.get("goals", []))
    totals = snapshot.get("totals", {})
    _heading(pdf, _("Summary"), outline=_("Summary"))
    overall = sum(int(totals.get(s, 0)) for s in statuses)
    _paragraph(
        pdf,
        _("%(done)s of %(total)s activities are done; %(overdue)s are overdue.")
        % {"done": totals.get("done", 0), "total": overall, "overdue": len(snapshot.get("overdue", []))},
    )
    pdf.ln(2)
    if goals:
        chart = _summary_chart(goals, statuses)
        pdf.image(chart, w=pdf.epw)
        pdf.ln(2)
    widths = [30] + [18] * len(statuses) + [14]
    with _table(pdf, widths, ["LEFT"] + ["RIGHT"] * (len(statuses) + 1)) as table:
        _heading_row(table, [_("Goal"), *[_status_label(s) for s in statuses], _("Total")])
        for goal in goals:
            row = table.row()
            counts = [int(goal.get("totals", {}).get(s, 0)) for s in statuses]
            row.cell(_("Goal %(number)s") % {"number": goal["number"]})
            for count in counts:
                row.cell(str(count))
            row.cell(str(sum(counts)))
        row = table.row(style=FontFace(emphasis="BOLD"))
        row.cell(_("All goals"))
        for status in statuses:
            row.cell(str(int(totals.get(status, 0))))
        row.cell(str(overall))


def _pdf_goal(pdf: _ReportPDF, goal: Mapping[str, Any]) -> None:
    title = _("Goal %(number)s") % {"number": goal["number"]}
    pdf.add_page()
    _heading(pdf, title, outline=title)
    _paragraph(pdf, _language_text(goal.get("text")), size=11, bold=True)
    totals = goal.get("totals", {})
    _paragraph(
        pdf,
        _("%(done)s of %(total)s activities are done.")
        % {"done": totals.get("done", 0), "total": sum(int(v) for v in totals.values())},
        size=9,
        colour=_GREY,
    )
    pdf.ln(3)
    _heading(pdf, _("Leadership narrative"), size=11)
    narrative = _as_written(goal.get("narrative")).strip()
    if narrative:
        _paragraph(pdf, narrative)
        if goal.get("narrative_by"):
            _paragraph(
                pdf,
                _("Written by %(name)s") % {"name": _as_written(goal["narrative_by"])},
                size=8.5,
                colour=_GREY,
            )
    else:
        _paragraph(pdf, _("No narrative was written."), colour=_GREY)
    pdf.ln(3)
    headings = [
        _("Code"),
        _("Activity"),
        _("Responsible"),
        _("Due date"),
        _("Status"),
        _("Done"),
        _("Overdue"),
    ]
    for objective in goal.get("objectives", []):
        label = _("Objective %(number)s") % {"number": objective["number"]}
        _heading(pdf, label, size=10.5, level=1, outline=label)
        _paragraph(pdf, _language_text(objective.get("text")), size=9.5)
        pdf.ln(1.5)
        activities = objective.get("activities", [])
        if not activities:
            _paragraph(pdf, _("This objective has no activities."), colour=_GREY)
            pdf.ln(3)
            continue
        widths = (13, 61, 38, 23, 20, 10, 15)
        align = ("LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "LEFT")
        with _table(pdf, widths, align) as table:
            _heading_row(table, headings)
            for activity in activities:
                row = table.row()
                row.cell(activity.get("code", ""))
                row.cell(_clean(_language_text(activity.get("text"))))
                row.cell(_clean(_language_text(activity.get("responsible"))))
                due = _format_date(activity.get("due_date")) or _language_text(activity.get("time_limit"))
                row.cell(due)
                status = activity.get("status", "")
                row.cell(_status_label(status), style=_status_style(status))
                percent = activity.get("percent")
                row.cell("—" if percent is None else _("%(value)s%%") % {"value": percent})
                if activity.get("overdue"):
                    row.cell(_("Overdue"), style=FontFace(emphasis="BOLD", color=_RED))
                else:
                    row.cell("")
        pdf.ln(4)


def _pdf_indicators(pdf: _ReportPDF, snapshot: Snapshot) -> None:
    indicators = list(snapshot.get("indicators", []))
    periods = list(snapshot.get("periods", []))
    pdf.add_page()
    _heading(pdf, _("Indicators"), outline=_("Indicators"))
    if not indicators:
        _paragraph(pdf, _("The plan has no indicators."), colour=_GREY)
        return
    if periods:
        _paragraph(
            pdf,
            _(
                "Each chart shows the value of every half-year from %(first)s to %(last)s: bars are "
                "values, the dashed red line is the target per half-year and a grey dot marks a half-year "
                "without a value."
            )
            % {"first": periods[0], "last": periods[-1]},
            size=8.5,
            colour=_GREY,
        )
    pdf.ln(2)
    tiles = _indicator_tiles(indicators, periods)
    headings = [
        _("Code"),
        _("Indicator"),
        _("Unit"),
        _("Target"),
        _("Latest value"),
        _("How it is counted"),
        _("Values per half-year"),
    ]
    widths = (13, 49, 17, 14, 19, 20, 48)
    align = ("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT", "CENTER")
    with _table(pdf, widths, align, v_align="MIDDLE") as table:
        _heading_row(table, headings)
        for indicator, tile in zip(indicators, tiles, strict=True):
            unit = indicator.get("unit", "")
            latest = _latest(list(indicator.get("values", [])), periods)
            row = table.row()
            row.cell(indicator.get("activity_code", ""))
            row.cell(_clean(_language_text(indicator.get("text"))))
            row.cell(_unit_label(unit))
            row.cell(_format_value(indicator.get("target"), unit))
            if latest is None:
                row.cell("—")
            else:
                row.cell(
                    _("%(value)s in %(period)s")
                    % {"value": _format_value(latest[0], unit), "period": latest[1]}
                )
            if indicator.get("computed"):
                row.cell(_("counted by the system"), style=FontFace(color=(20, 90, 150)))
            else:
                row.cell(_("entered by hand"), style=FontFace(color=(90, 60, 130)))
            row.cell(img=tile, img_fill_width=True)


def _pdf_overdue(pdf: _ReportPDF, snapshot: Snapshot) -> None:
    overdue = list(snapshot.get("overdue", []))
    pdf.add_page()
    _heading(pdf, _("Overdue activities"), outline=_("Overdue activities"))
    if not overdue:
        _paragraph(pdf, _("No activity is overdue."))
        return
    period_end = _format_date(snapshot["evaluation"].get("period", {}).get("end"))
    _paragraph(
        pdf,
        _("Days late are counted to the end of the period, %(date)s.") % {"date": period_end},
        size=8.5,
        colour=_GREY,
    )
    pdf.ln(2)
    headings = [_("Code"), _("Activity"), _("Due date"), _("Days late"), _("Responsible"), _("Status")]
    widths = (13, 72, 21, 14, 40, 20)
    align = ("LEFT", "LEFT", "LEFT", "RIGHT", "LEFT", "LEFT")
    with _table(pdf, widths, align) as table:
        _heading_row(table, headings)
        for item in overdue:
            status = item.get("status", "")
            row = table.row()
            row.cell(item.get("code", ""))
            row.cell(_clean(_language_text(item.get("text"))))
            row.cell(_format_date(item.get("due_date")))
            row.cell(str(item.get("days_late", "")))
            row.cell(_clean(_language_text(item.get("responsible"))))
            row.cell(_status_label(status), style=_status_style(status))


def render_pdf(snapshot: dict[str, Any], *, language: str, compress: bool = True) -> bytes:
    """The evaluation report as an A4 PDF in `language` (sq, sr, sr-latn, en).

    `compress=False` leaves page streams readable, for tests and debugging.
    The document's keywords carry the machine-readable sign-off state
    ("state:draft" or "state:signed") so that archives and tests can tell
    a draft from the signed report without reading the pages.
    """
    with translation.override(language):
        plan, evaluation = snapshot["plan"], snapshot["evaluation"]
        period_label = evaluation.get("period", {}).get("label", "")
        plan_title = _language_text(plan.get("title"))
        signed = _signed(evaluation)
        evaluation_label = _("Evaluation for %(period)s") % {"period": period_label}
        pdf = _ReportPDF(
            plan_title=plan_title,
            evaluation_label=evaluation_label,
            marker=_signed_line(evaluation),
            signed=signed,
        )
        pdf.set_compression(compress)
        pdf.set_title(_("%(plan)s: evaluation for %(period)s") % {"plan": plan_title, "period": period_label})
        pdf.set_subject(_signed_line(evaluation))
        pdf.set_keywords(
            " ".join(
                [
                    "cpis",
                    "action-plan-evaluation",
                    f"plan:{plan.get('code', '')}",
                    f"period:{period_label.replace(' ', '-')}",
                    f"language:{language}",
                    f"state:{'signed' if signed else 'draft'}",
                ]
            )
        )
        pdf.set_author(evaluation.get("frozen_by", ""))
        pdf.set_creator("CPIS")
        pdf.set_lang(language)
        frozen_at = _parse_datetime(evaluation.get("frozen_at"))
        if frozen_at:
            pdf.set_creation_date(frozen_at)  # the same snapshot gives the same file
        pdf.add_page()
        _pdf_title_block(pdf, snapshot)
        _pdf_summary(pdf, snapshot)
        for goal in snapshot.get("goals", []):
            _pdf_goal(pdf, goal)
        _pdf_indicators(pdf, snapshot)
        _pdf_overdue(pdf, snapshot)
        return bytes(pdf.output())


# --- XLSX -----------------------------------------------------------------

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_DATE_FORMAT = "DD.MM.YYYY"


def _sheet_title(text: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\,
    not starting or ending with an apostrophe, unique in the workbook."""
    title = _SHEET_TITLE_FORBIDDEN.sub(" ", text).strip().strip("'")[:31].strip() or "Sheet"
    candidate, number = title, 2
    while candidate.lower() in taken:
        suffix = f" {number}"
        candidate = title[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def _append(sheet: Worksheet, values: Sequence[Any]) -> None:
    """Every cell goes through the formula-injection guard; characters a
    spreadsheet cannot hold (control characters) are dropped."""
    sheet.append([safe_cell(ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v) for v in values])


def _header(
    sheet: Worksheet, labels: Sequence[str], widths: Sequence[float], *, row: int | None = None
) -> None:
    _append(sheet, labels)
    row = sheet.max_row if row is None else row
    for cell in sheet[row]:
        cell.font = _BOLD
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _wrap_column(sheet: Worksheet, column: int, first_row: int = 2) -> None:
    for (cell,) in sheet.iter_rows(min_row=first_row, min_col=column, max_col=column):
        cell.alignment = _WRAP


def _date_cells(sheet: Worksheet, column: int) -> None:
    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        cell.number_format = _DATE_FORMAT


def _xlsx_evaluation(sheet: Worksheet, snapshot: Snapshot) -> None:
    """The report's identity first, so the draft state is what one sees on opening."""
    plan, evaluation = snapshot["plan"], snapshot["evaluation"]
    period = evaluation.get("period", {})
    rows: list[tuple[str, Any]] = [
        (_("Action plan"), _language_text(plan.get("title"))),
        (_("Plan code"), plan.get("code", "")),
        (_("Evaluation period"), period.get("label", "")),
        (_("Period start"), _parse_date(period.get("start"))),
        (_("Period end"), _parse_date(period.get("end"))),
    ]
    if evaluation.get("unit"):
        rows.append((_("Responsible unit"), _language_text(evaluation["unit"])))
    rows += [(_("Frozen"), _frozen_line(evaluation)), (_("Sign-off"), _signed_line(evaluation))]
    _header(
        sheet,
        [_("Evaluation"), _("Evaluation for %(period)s") % {"period": period.get("label", "")}],
        (24, 90),
    )
    for label, value in rows:
        _append(sheet, [label, value])
        sheet.cell(row=sheet.max_row, column=1).font = _BOLD
        if isinstance(value, date):
            sheet.cell(row=sheet.max_row, column=2).number_format = _DATE_FORMAT
            sheet.cell(row=sheet.max_row, column=2).alignment = Alignment(horizontal="left")
    state = sheet.cell(row=sheet.max_row, column=2)
    state.font = Font(bold=True, color="1E781E" if _signed(evaluation) else "B41414")
    sheet.freeze_panes = "A2"


def _xlsx_summary(sheet: Worksheet, snapshot: Snapshot) -> None:
    statuses = list(snapshot.get("statuses", []))
    goals = list(snapshot.get("goals", []))
    totals = snapshot.get("totals", {})
    labels = [_status_label(s) for s in statuses]
    _header(sheet, [_("Goal"), _("Text"), *labels, _("Total")], [12, 70] + [14] * (len(statuses) + 1))
    for goal in goals:
        counts = [int(goal.get("totals", {}).get(s, 0)) for s in statuses]
        _append(
            sheet,
            [
                _("Goal %(number)s") % {"number": goal["number"]},
                _language_text(goal.get("text")),
                *counts,
                sum(counts),
            ],
        )
    overall = [int(totals.get(s, 0)) for s in statuses]
    _append(sheet, [_("All goals"), "", *overall, sum(overall)])
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
    _append(sheet, [])
    _append(sheet, [_("Objective"), _("Text"), *labels, _("Total")])
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
    for goal in goals:
        for objective in goal.get("objectives", []):
            counts = [int(objective.get("totals", {}).get(s, 0)) for s in statuses]
            _append(sheet, [objective["number"], _language_text(objective.get("text")), *counts, sum(counts)])
    _wrap_column(sheet, 2)
    sheet.freeze_panes = "A2"
    if not goals or not statuses:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = _("Activities per goal and status")
    chart.y_axis.title = _("Activities")
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # goal 1 on top, as in the table
    data = Reference(sheet, min_col=3, max_col=2 + len(statuses), min_row=1, max_row=1 + len(goals))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=1 + len(goals)))
    for series, status in zip(chart.series, statuses, strict=True):
        series.graphicalProperties.solidFill = STATUS_COLOURS.get(status, "#555555").lstrip("#")
        series.graphicalProperties.line.solidFill = STATUS_COLOURS.get(status, "#555555").lstrip("#")
    chart.width, chart.height = 18, 3 + 1.6 * len(goals)
    sheet.add_chart(chart, f"{get_column_letter(len(statuses) + 5)}2")


def _xlsx_activities(sheet: Worksheet, snapshot: Snapshot) -> None:
    headings = [
        _("Goal"), _("Objective"), _("Code"), _("Activity"), _("Responsible"), _("Time limit"),
        _("Due date"), _("Status"), _("Done (%)"), _("Last update"), _("Overdue"),
    ]  # fmt: skip
    _header(sheet, headings, [8, 10, 9, 70, 40, 28, 12, 14, 10, 12, 10])
    for goal, objective, activity in _all_activities(snapshot):
        _append(
            sheet,
            [
                goal["number"],
                objective["number"],
                activity.get("code", ""),
                _language_text(activity.get("text")),
                _language_text(activity.get("responsible")),
                _language_text(activity.get("time_limit")),
                _parse_date(activity.get("due_date")),
                _status_label(activity.get("status", "")),
                activity.get("percent"),
                _parse_date(activity.get("last_update")),
                _("Yes") if activity.get("overdue") else _("No"),
            ],
        )
    _date_cells(sheet, 7)
    _date_cells(sheet, 10)
    _wrap_column(sheet, 4)
    _wrap_column(sheet, 5)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _indicator_source(indicator: Mapping[str, Any]) -> str:
    if not indicator.get("computed"):
        return _("entered by hand")
    if indicator.get("source"):
        return _("counted by the system (%(source)s)") % {"source": indicator["source"]}
    return _("counted by the system")


def _xlsx_indicators(sheet: Worksheet, snapshot: Snapshot) -> None:
    periods = list(snapshot.get("periods", []))
    indicators = list(snapshot.get("indicators", []))
    first_value_column = 6
    _header(
        sheet,
        [_("Activity"), _("Indicator"), _("Unit"), _("Source"), _("Target per half-year"), *periods],
        [9, 60, 16, 34, 12] + [10] * len(periods),
    )
    for indicator in indicators:
        values = list(indicator.get("values", []))[: len(periods)]
        _append(
            sheet,
            [
                indicator.get("activity_code", ""),
                _language_text(indicator.get("text")),
                _unit_label(indicator.get("unit", "")),
                _indicator_source(indicator),
                indicator.get("target"),
                *values,
            ],
        )
    _wrap_column(sheet, 2)
    sheet.freeze_panes = "C2"
    # The computed indicators with the most values: a few lines stay readable.
    computed = [
        (row, indicator)
        for row, indicator in enumerate(indicators, start=2)
        if indicator.get("computed") and any(v is not None for v in indicator.get("values", []))
    ]
    computed.sort(key=lambda item: -sum(v is not None for v in item[1].get("values", [])))
    if not computed or not periods:
        return
    chart = LineChart()
    chart.title = _("Indicators counted by the system, per half-year")
    chart.y_axis.title = _("Value")
    chart.x_axis.title = _("Half-year")
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    last_column = first_value_column + len(periods) - 1
    for row, indicator in sorted(computed[:5]):
        values = Reference(sheet, min_col=first_value_column, max_col=last_column, min_row=row, max_row=row)
        title = f"{indicator.get('activity_code', '')} {_language_text(indicator.get('text'))}"
        series = Series(values, title=title[:60])
        chart.series.append(series)
    chart.set_categories(
        Reference(sheet, min_col=first_value_column, max_col=last_column, min_row=1, max_row=1)
    )
    chart.width, chart.height = 24, 10
    sheet.add_chart(chart, f"{get_column_letter(last_column + 2)}2")


def _xlsx_overdue(sheet: Worksheet, snapshot: Snapshot) -> None:
    _header(
        sheet,
        [_("Code"), _("Activity"), _("Due date"), _("Days late"), _("Responsible"), _("Status")],
        [9, 70, 12, 10, 40, 14],
    )
    for item in snapshot.get("overdue", []):
        _append(
            sheet,
            [
                item.get("code", ""),
                _language_text(item.get("text")),
                _parse_date(item.get("due_date")),
                item.get("days_late"),
                _language_text(item.get("responsible")),
                _status_label(item.get("status", "")),
            ],
        )
    _date_cells(sheet, 3)
    _wrap_column(sheet, 2)
    sheet.freeze_panes = "A2"


def _xlsx_narrative(sheet: Worksheet, snapshot: Snapshot) -> None:
    _header(sheet, [_("Goal"), _("Text"), _("Narrative"), _("Written by")], [10, 50, 100, 24])
    for goal in snapshot.get("goals", []):
        _append(
            sheet,
            [
                _("Goal %(number)s") % {"number": goal["number"]},
                _language_text(goal.get("text")),
                _as_written(goal.get("narrative")).strip() or _("No narrative was written."),
                _as_written(goal.get("narrative_by")),
            ],
        )
    _wrap_column(sheet, 2)
    _wrap_column(sheet, 3)
    sheet.freeze_panes = "A2"


def render_xlsx(snapshot: dict[str, Any], *, language: str) -> bytes:
    """The evaluation report as a workbook in `language`, for those who
    analyse the figures further: real dates and numbers, one row per activity
    and per indicator, native charts, every text cell injection-safe."""
    with translation.override(language):
        workbook = Workbook()
        taken: set[str] = set()
        sheets: list[tuple[str, Any]] = [
            (_("Evaluation"), _xlsx_evaluation),
            (_("Summary"), _xlsx_summary),
            (_("Activities"), _xlsx_activities),
            (_("Indicators"), _xlsx_indicators),
            (_("Overdue"), _xlsx_overdue),
            (_("Narrative"), _xlsx_narrative),
        ]
        for index, (title, fill) in enumerate(sheets):
            sheet = workbook.active if index == 0 else workbook.create_sheet()
            sheet.title = _sheet_title(title, taken)
            fill(sheet, snapshot)
        evaluation = snapshot["evaluation"]
        period_label = evaluation.get("period", {}).get("label", "")
        workbook.properties.title = _("%(plan)s: evaluation for %(period)s") % {
            "plan": _language_text(snapshot["plan"].get("title")),
            "period": period_label,
        }
        workbook.properties.subject = _signed_line(evaluation)
        workbook.properties.keywords = f"state:{'signed' if _signed(evaluation) else 'draft'}"
        workbook.properties.creator = "CPIS"
        frozen_at = _parse_datetime(evaluation.get("frozen_at"))
        if frozen_at:
            stamp = frozen_at.astimezone(UTC).replace(tzinfo=None)
            workbook.properties.created = stamp
        out = BytesIO()
        workbook.save(out)
        return out.getvalue()
