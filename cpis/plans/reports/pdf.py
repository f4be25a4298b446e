"""The evaluation report as an A4 PDF: fpdf2 with the DejaVu fonts
matplotlib ships (Albanian ë and ç, Serbian Cyrillic), the charts of charts.py."""

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from cpis.core.pdf import FONT, add_fonts
from cpis.plans.models import IndicatorUnit, ProgressStatus
from cpis.plans.selectors.perception import read_perception
from cpis.plans.selectors.sections import ChartView, SectionView, evaluation_parts, format_cell

from .charts import indicator_tiles, nice_ceiling, summary_chart
from .common import (
    Snapshot,
    as_written,
    format_date,
    frozen_line,
    is_signed,
    language_text,
    parse_datetime,
    place_line,
    signed_line,
    status_label,
    unit_label,
)

# fontTools logs every font subset at INFO; one report would fill the log.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

# Darker shades of the status colours for words in tables: orange text on white is hard to read.
_STATUS_TEXT = {
    ProgressStatus.NOT_STARTED.value: (90, 90, 90),
    ProgressStatus.IN_PROGRESS.value: (20, 90, 150),
    ProgressStatus.DONE.value: (30, 120, 30),
    ProgressStatus.DELAYED.value: (190, 90, 0),
    ProgressStatus.CANCELLED.value: (139, 26, 26),
}
_RED = (180, 20, 20)
_GREEN = (30, 120, 30)
_GREY = (110, 110, 110)
_HEADING_FILL = (225, 230, 238)


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


def _clean(text: str) -> str:
    """Tabs and carriage returns have no glyph in the PDF font."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")


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
    pdf.multi_cell(0, 8.5, _clean(language_text(plan.get("title"))), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    _paragraph(pdf, _("Evaluation for %(period)s") % {"period": period.get("label", "")}, size=14, bold=True)
    pdf.ln(2)
    lines = [
        _("Reporting period: %(start)s – %(end)s")
        % {"start": format_date(period.get("start")), "end": format_date(period.get("end"))},
        _("Action plan: %(start)s – %(end)s")
        % {"start": format_date(plan.get("period_start")), "end": format_date(plan.get("period_end"))},
    ]
    if evaluation.get("unit"):
        lines.append(_("Responsible unit: %(unit)s") % {"unit": language_text(evaluation["unit"])})
    if evaluation.get("place"):
        lines.append(place_line(evaluation))
    lines.append(frozen_line(evaluation))
    for line in lines:
        _paragraph(pdf, line, size=10)
    pdf.ln(1)
    _paragraph(
        pdf, signed_line(evaluation), size=11, bold=True, colour=_GREEN if is_signed(evaluation) else _RED
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
        chart = summary_chart(goals, statuses)
        pdf.image(chart, w=pdf.epw)
        pdf.ln(2)
    widths = [30] + [18] * len(statuses) + [14]
    with _table(pdf, widths, ["LEFT"] + ["RIGHT"] * (len(statuses) + 1)) as table:
        _heading_row(table, [_("Goal"), *[status_label(s) for s in statuses], _("Total")])
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
    _paragraph(pdf, language_text(goal.get("text")), size=11, bold=True)
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
    narrative = as_written(goal.get("narrative")).strip()
    if narrative:
        _paragraph(pdf, narrative)
        if goal.get("narrative_by"):
            _paragraph(
                pdf,
                _("Written by %(name)s") % {"name": as_written(goal["narrative_by"])},
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
        _paragraph(pdf, language_text(objective.get("text")), size=9.5)
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
                row.cell(_clean(language_text(activity.get("text"))))
                row.cell(_clean(language_text(activity.get("responsible"))))
                due = format_date(activity.get("due_date")) or language_text(activity.get("time_limit"))
                row.cell(due)
                status = activity.get("status", "")
                row.cell(status_label(status), style=_status_style(status))
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
    tiles = indicator_tiles(indicators, periods)
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
            row.cell(_clean(language_text(indicator.get("text"))))
            row.cell(unit_label(unit))
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


def _pdf_elements(pdf: _ReportPDF, snapshot: Snapshot) -> None:
    """The strategy's elements 1–6 as frozen for the place, in element order, the
    perception surveys (element 4) among them."""
    pdf.add_page()
    title = _("The strategy's elements")
    _heading(pdf, title, outline=title)
    if "sections" not in snapshot:
        _paragraph(
            pdf,
            _(
                "This evaluation was frozen before the elements of the evaluation (service statistics, "
                "performance evaluations, deployment, forums, media) were recorded with evaluations: only "
                "the plan's progress and the perception surveys were kept."
            ),
            colour=_GREY,
        )
        pdf.ln(3)
    first = True
    for part in evaluation_parts(snapshot):
        if part.perception:
            _pdf_perception(pdf, snapshot, new_page=not first)
        elif part.section is not None:
            _pdf_section(pdf, part.section, new_page=not first)
        first = False


def _pdf_section(pdf: _ReportPDF, section: SectionView, *, new_page: bool) -> None:
    if new_page:
        pdf.add_page()
    _heading(pdf, section.heading, size=12, level=0, outline=section.heading)
    _paragraph(pdf, section.summary, colour=_GREY if section.error else (0, 0, 0))
    pdf.ln(2)
    for table in section.tables:
        if table.caption:
            _paragraph(pdf, table.caption, size=8.5, colour=_GREY)
            pdf.ln(1)
        if not table.columns:
            continue
        count = len(table.columns)
        first_width = min(40.0, pdf.epw / count * 2) if count > 1 else pdf.epw
        rest = (pdf.epw - first_width) / (count - 1) if count > 1 else 0
        widths = [first_width] + [rest] * (count - 1)
        align = ["LEFT"] + ["RIGHT"] * (count - 1)
        with _table(pdf, widths, align) as out:
            _heading_row(out, [_clean(column) for column in table.columns])
            for row in table.formatted_rows():
                cells = out.row()
                for cell in (list(row) + [""] * count)[:count]:
                    cells.cell(_clean(cell))
        pdf.ln(3)
    for chart in section.charts:
        if chart.labels and chart.series:
            _pdf_chart(pdf, chart)


_SERIES_COLOURS = (
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (148, 103, 189),
    (140, 86, 75),
    (127, 127, 127),
)


def _pdf_chart(pdf: _ReportPDF, chart: ChartView, *, height: float = 52) -> None:
    """A section's chart drawn with the PDF's own lines and rectangles: grouped bars,
    or lines with a dot per point (a gap where a value is missing). Vector drawing
    costs next to nothing, where a matplotlib figure per chart cost a tenth of a
    second each and the evaluation must stay under 5 s."""
    if pdf.will_page_break(height + 10):
        pdf.add_page()
    _paragraph(pdf, chart.caption + (f" ({chart.unit})" if chart.unit else ""), size=9, bold=True)
    pdf.ln(1)
    x0, top = pdf.l_margin, pdf.get_y()
    pdf.set_font(FONT, "", 6.5)
    pdf.set_text_color(60, 60, 60)
    # The legend, one coloured square and name per series.
    x = x0 + 14
    for index, series in enumerate(chart.series):
        pdf.set_fill_color(*_SERIES_COLOURS[index % len(_SERIES_COLOURS)])
        pdf.rect(x, top + 0.6, 2.4, 2.4, style="F")
        pdf.text(x + 3.2, top + 2.8, series.name)
        x += 3.2 + pdf.get_string_width(series.name) + 5
    plot_left, plot_right = x0 + 14, x0 + pdf.epw
    plot_top, plot_bottom = top + 7, top + height - 9
    scale = nice_ceiling(chart.highest)
    # Gridlines at round values: fifths of 1, 2.5 or 5 (times a power of ten), quarters of 2.
    mantissa = scale / 10 ** math.floor(math.log10(scale))
    steps = 4 if math.isclose(mantissa, 2.0) else 5
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.15)
    for step in range(steps + 1):
        value = scale * step / steps
        y = plot_bottom - (plot_bottom - plot_top) * step / steps
        pdf.line(plot_left, y, plot_right, y)
        label = format_cell(value)
        pdf.text(plot_left - 1.5 - pdf.get_string_width(label), y + 1, label)
    count = len(chart.labels)
    slot = (plot_right - plot_left) / count

    def y_of(value: float) -> float:
        return plot_bottom - (plot_bottom - plot_top) * max(min(value / scale, 1.05), 0)

    if chart.kind == "line":
        pdf.set_line_width(0.5)
        for index, series in enumerate(chart.series):
            colour = _SERIES_COLOURS[index % len(_SERIES_COLOURS)]
            pdf.set_draw_color(*colour)
            pdf.set_fill_color(*colour)
            previous: tuple[float, float] | None = None
            for position, amount in enumerate(series.values[:count]):
                if amount is None:
                    previous = None
                    continue
                point = (plot_left + (position + 0.5) * slot, y_of(amount))
                if previous is not None:
                    pdf.line(*previous, *point)
                pdf.ellipse(point[0] - 0.7, point[1] - 0.7, 1.4, 1.4, style="F")
                previous = point
    else:
        width = 0.8 * slot / len(chart.series)
        for index, series in enumerate(chart.series):
            pdf.set_fill_color(*_SERIES_COLOURS[index % len(_SERIES_COLOURS)])
            for position, amount in enumerate(series.values[:count]):
                if not amount or amount <= 0:
                    continue
                x = plot_left + position * slot + 0.1 * slot + index * width
                y = y_of(amount)
                pdf.rect(x, y, width, plot_bottom - y, style="F")
    pdf.set_draw_color(90, 90, 90)
    pdf.set_line_width(0.25)
    pdf.line(plot_left, plot_bottom, plot_right, plot_bottom)
    pdf.set_text_color(40, 40, 40)
    for position, label in enumerate(chart.labels):
        text = _clean(label)
        while text and pdf.get_string_width(text) > slot - 1:
            text = text[:-2] + "…" if len(text) > 2 else ""
        pdf.text(
            plot_left + (position + 0.5) * slot - pdf.get_string_width(text) / 2, plot_bottom + 3.5, text
        )
    pdf.set_text_color(0, 0, 0)
    pdf.set_y(top + height)
    pdf.ln(3)


def _pdf_perception(pdf: _ReportPDF, snapshot: Snapshot, *, new_page: bool = True) -> None:
    """Evaluation 4: the surveys' figures as frozen, nationally and per region."""
    title = _("Evaluation 4: citizens' perception of order and public safety")
    if new_page:
        pdf.add_page()
    _heading(pdf, title, outline=title)
    perception = read_perception(snapshot)
    if perception is None:
        _paragraph(
            pdf,
            _("This evaluation was frozen before survey results were kept with evaluations."),
            colour=_GREY,
        )
        return
    _paragraph(pdf, perception.note)
    _paragraph(
        pdf,
        _(
            "Each cell: the share of everyone at the place (or the mean score), the range that holds the "
            "true figure 95 times in 100, and the change since the questionnaire's previous wave in "
            "percentage points; * marks a change that is clear at that level. A figure from fewer answers "
            "than the wave's minimum is suppressed."
        ),
        size=8.5,
        colour=_GREY,
    )
    pdf.ln(2)
    for wave in perception.waves:
        _heading(pdf, wave.name, size=11, level=1, outline=wave.name)
        _paragraph(
            pdf,
            _("%(questionnaire)s · %(place)s · %(start)s – %(end)s")
            % {
                "questionnaire": wave.questionnaire,
                "place": wave.place,
                "start": format_date(wave.starts_on),
                "end": format_date(wave.ends_on),
            },
            size=9,
        )
        _paragraph(
            pdf,
            _("%(responses)s responses counted; figures from fewer than %(min_n)s answers are suppressed.")
            % {"responses": wave.responses, "min_n": wave.min_n},
            size=9,
        )
        if wave.previous:
            _paragraph(pdf, _("Change since %(previous)s.") % {"previous": wave.previous}, size=9)
        pdf.ln(1.5)
        if not wave.items:
            continue
        item_width = (pdf.epw - 46) / len(wave.items)
        widths = [30, 16] + [item_width] * len(wave.items)
        align = ["LEFT", "RIGHT"] + ["CENTER"] * len(wave.items)
        with _table(pdf, widths, align) as table:
            _heading_row(table, [_("Place"), _("Answers"), *[item.short for item in wave.items]])
            for row in wave.rows:
                cells = table.row()
                cells.cell(_clean(row.place))
                cells.cell(str(row.responses))
                for cell in row.cells:
                    if cell.suppressed:
                        cells.cell(_("suppressed"), style=FontFace(color=_GREY))
                        continue
                    lines = [cell.text, cell.interval]
                    if cell.change_text:
                        lines.append(cell.change_text + ("*" if cell.clear else ""))
                    cells.cell("\n".join(line for line in lines if line))
        top = wave.rows[0] if wave.rows else None
        if top is not None and top.issues:
            pdf.ln(1.5)
            issues = "; ".join(f"{label} {share}" for label, share in top.issues)
            _paragraph(
                pdf,
                _("What people in %(place)s most want the police to deal with: %(issues)s")
                % {"place": top.place, "issues": issues},
                size=9,
            )
        pdf.ln(4)


def _pdf_overdue(pdf: _ReportPDF, snapshot: Snapshot) -> None:
    overdue = list(snapshot.get("overdue", []))
    pdf.add_page()
    _heading(pdf, _("Overdue activities"), outline=_("Overdue activities"))
    if not overdue:
        _paragraph(pdf, _("No activity is overdue."))
        return
    period_end = format_date(snapshot["evaluation"].get("period", {}).get("end"))
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
            row.cell(_clean(language_text(item.get("text"))))
            row.cell(format_date(item.get("due_date")))
            row.cell(str(item.get("days_late", "")))
            row.cell(_clean(language_text(item.get("responsible"))))
            row.cell(status_label(status), style=_status_style(status))


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
        plan_title = language_text(plan.get("title"))
        signed = is_signed(evaluation)
        evaluation_label = _("Evaluation for %(period)s") % {"period": period_label}
        place = evaluation.get("place") or {}
        if place and not place.get("national"):
            evaluation_label = _("Evaluation of %(place)s for %(period)s") % {
                "place": language_text(place.get("name")),
                "period": period_label,
            }
        pdf = _ReportPDF(
            plan_title=plan_title,
            evaluation_label=evaluation_label,
            marker=signed_line(evaluation),
            signed=signed,
        )
        pdf.set_compression(compress)
        pdf.set_title(_("%(plan)s: evaluation for %(period)s") % {"plan": plan_title, "period": period_label})
        pdf.set_subject(signed_line(evaluation))
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
        frozen_at = parse_datetime(evaluation.get("frozen_at"))
        if frozen_at:
            pdf.set_creation_date(frozen_at)  # the same snapshot gives the same file
        pdf.add_page()
        _pdf_title_block(pdf, snapshot)
        _pdf_summary(pdf, snapshot)
        for goal in snapshot.get("goals", []):
            _pdf_goal(pdf, goal)
        _pdf_indicators(pdf, snapshot)
        _pdf_elements(pdf, snapshot)
        _pdf_overdue(pdf, snapshot)
        return bytes(pdf.output())
