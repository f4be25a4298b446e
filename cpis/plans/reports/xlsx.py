"""The evaluation report as a workbook, for those who analyse the figures
further: real dates and numbers, one row per activity and per indicator,
native charts, every text cell injection-safe."""

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date
from io import BytesIO
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cpis.core.exports import safe_cell
from cpis.plans.selectors.perception import read_perception
from cpis.plans.selectors.sections import SectionView, read_sections

from .common import (
    STATUS_COLOURS,
    Snapshot,
    as_written,
    frozen_line,
    is_signed,
    language_text,
    parse_date,
    parse_datetime,
    place_line,
    signed_line,
    status_label,
    unit_label,
)

_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_DATE_FORMAT = "DD.MM.YYYY"


def sheet_title(text: str, taken: set[str]) -> str:
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
        (_("Action plan"), language_text(plan.get("title"))),
        (_("Plan code"), plan.get("code", "")),
        (_("Evaluation period"), period.get("label", "")),
        (_("Period start"), parse_date(period.get("start"))),
        (_("Period end"), parse_date(period.get("end"))),
    ]
    if evaluation.get("unit"):
        rows.append((_("Responsible unit"), language_text(evaluation["unit"])))
    if evaluation.get("place"):
        rows.append((_("Place evaluated"), place_line(evaluation)))
    rows += [(_("Frozen"), frozen_line(evaluation)), (_("Sign-off"), signed_line(evaluation))]
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
    state.font = Font(bold=True, color="1E781E" if is_signed(evaluation) else "B41414")
    sheet.freeze_panes = "A2"


def _xlsx_summary(sheet: Worksheet, snapshot: Snapshot) -> None:
    statuses = list(snapshot.get("statuses", []))
    goals = list(snapshot.get("goals", []))
    totals = snapshot.get("totals", {})
    labels = [status_label(s) for s in statuses]
    _header(sheet, [_("Goal"), _("Text"), *labels, _("Total")], [12, 70] + [14] * (len(statuses) + 1))
    for goal in goals:
        counts = [int(goal.get("totals", {}).get(s, 0)) for s in statuses]
        _append(
            sheet,
            [
                _("Goal %(number)s") % {"number": goal["number"]},
                language_text(goal.get("text")),
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
            _append(sheet, [objective["number"], language_text(objective.get("text")), *counts, sum(counts)])
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
                language_text(activity.get("text")),
                language_text(activity.get("responsible")),
                language_text(activity.get("time_limit")),
                parse_date(activity.get("due_date")),
                status_label(activity.get("status", "")),
                activity.get("percent"),
                parse_date(activity.get("last_update")),
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
                language_text(indicator.get("text")),
                unit_label(indicator.get("unit", "")),
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
        title = f"{indicator.get('activity_code', '')} {language_text(indicator.get('text'))}"
        series = Series(values, title=title[:60])
        chart.series.append(series)
    chart.set_categories(
        Reference(sheet, min_col=first_value_column, max_col=last_column, min_row=1, max_row=1)
    )
    chart.width, chart.height = 24, 10
    sheet.add_chart(chart, f"{get_column_letter(last_column + 2)}2")


def _xlsx_perception(sheet: Worksheet, snapshot: Snapshot) -> None:
    """Evaluation 4 as numbers, one row per wave, place and item: shares as
    percentages, the change in percentage points, blank where suppressed."""
    perception = read_perception(snapshot)
    if perception is None:
        _header(sheet, [_("Evaluation 4")], [100])
        _append(sheet, [_("This evaluation was frozen before survey results were kept with evaluations.")])
        sheet.freeze_panes = "A2"
        return
    headings = [
        _("Wave"), _("Wave started"), _("Wave ended"), _("Place"), _("Answers at the place"), _("Item"),
        _("Question"), _("Share (%) or mean"), _("Interval, low"), _("Interval, high"),
        _("Answers to the item"), _("Change since the previous wave"), _("Change, low"), _("Change, high"),
        _("Clear change"), _("Suppressed"),
    ]  # fmt: skip
    _header(sheet, headings, [22, 12, 12, 22, 10, 22, 60, 12, 12, 12, 10, 14, 12, 12, 10, 10])
    for wave in perception.waves:
        for row in wave.rows:
            for item, cell in zip(wave.items, row.cells, strict=True):
                _append(
                    sheet,
                    [
                        wave.name,
                        wave.starts_on,
                        wave.ends_on,
                        row.place,
                        row.responses,
                        item.short,
                        item.text,
                        cell.estimate,
                        cell.low,
                        cell.high,
                        cell.n,
                        cell.change,
                        cell.change_low,
                        cell.change_high,
                        (_("Yes") if cell.clear else _("No")) if cell.change is not None else None,
                        _("Yes") if cell.suppressed else _("No"),
                    ],
                )
    _date_cells(sheet, 2)
    _date_cells(sheet, 3)
    _wrap_column(sheet, 7)
    _append(sheet, [])
    _append(sheet, [perception.note])
    sheet.freeze_panes = "A2"


def _xlsx_section(sheet: Worksheet, section: SectionView) -> None:
    """One element as frozen: its title and summary, each table with its numbers as
    numbers, and each chart as a native chart over a table of its values."""
    _header(sheet, [section.heading], [34] + [14] * 15)
    _append(sheet, [section.summary])
    sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=False, vertical="top")
    for table in section.tables:
        _append(sheet, [])
        _append(sheet, [table.caption])
        sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True)
        _append(sheet, table.columns)
        for cell in sheet[sheet.max_row]:
            cell.font = _BOLD
        for row in table.rows:
            _append(sheet, list(row))
    for chart in section.charts:
        if not chart.labels or not chart.series:
            continue
        _append(sheet, [])
        _append(sheet, [chart.caption + (f" ({chart.unit})" if chart.unit else "")])
        sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True)
        header_row = sheet.max_row + 1
        _append(sheet, ["", *[s.name for s in chart.series]])
        for cell in sheet[sheet.max_row]:
            cell.font = _BOLD
        for index, label in enumerate(chart.labels):
            _append(
                sheet, [label, *[s.values[index] if index < len(s.values) else None for s in chart.series]]
            )
        last_row = sheet.max_row
        native: BarChart | LineChart = LineChart() if chart.kind == "line" else BarChart()
        native.title = chart.caption[:200]
        native.y_axis.title = chart.unit
        native.x_axis.delete = False
        native.y_axis.delete = False
        data = Reference(
            sheet, min_col=2, max_col=1 + len(chart.series), min_row=header_row, max_row=last_row
        )
        native.add_data(data, titles_from_data=True)
        native.set_categories(Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last_row))
        native.width, native.height = 18, 8
        sheet.add_chart(native, f"{get_column_letter(len(chart.series) + 3)}{header_row}")
    sheet.freeze_panes = "A2"


def _xlsx_no_sections(sheet: Worksheet, snapshot: Snapshot) -> None:
    _header(sheet, [_("The strategy's elements")], [100])
    _append(
        sheet,
        [
            _(
                "This evaluation was frozen before the elements of the evaluation (service statistics, "
                "performance evaluations, deployment, forums, media) were recorded with evaluations: only "
                "the plan's progress and the perception surveys were kept."
            )
        ],
    )


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
                language_text(item.get("text")),
                parse_date(item.get("due_date")),
                item.get("days_late"),
                language_text(item.get("responsible")),
                status_label(item.get("status", "")),
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
                language_text(goal.get("text")),
                as_written(goal.get("narrative")).strip() or _("No narrative was written."),
                as_written(goal.get("narrative_by")),
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
            (_("Perception"), _xlsx_perception),
            (_("Overdue"), _xlsx_overdue),
            (_("Narrative"), _xlsx_narrative),
        ]
        sections = read_sections(snapshot)
        if sections is None:
            sheets.insert(5, (_("Elements"), _xlsx_no_sections))
        for index, (title, fill) in enumerate(sheets):
            sheet = workbook.active if index == 0 else workbook.create_sheet()
            sheet.title = sheet_title(title, taken)
            fill(sheet, snapshot)
        # A sheet per element, in element order around the perception surveys' (element 4).
        perception = workbook.sheetnames.index(sheet_title(_("Perception"), set()))
        before = [s for s in sections or [] if s.element is not None and s.element < 4]
        after = [s for s in sections or [] if s not in before]
        for position, section in [
            *((perception + i, s) for i, s in enumerate(before)),
            *((perception + len(before) + 1 + i, s) for i, s in enumerate(after)),
        ]:
            name = (
                _("Evaluation %(element)s") % {"element": section.element}
                if section.element is not None
                else _("Not computed")
            )
            sheet = workbook.create_sheet(index=position)
            sheet.title = sheet_title(name, taken)
            _xlsx_section(sheet, section)
        evaluation = snapshot["evaluation"]
        period_label = evaluation.get("period", {}).get("label", "")
        workbook.properties.title = _("%(plan)s: evaluation for %(period)s") % {
            "plan": language_text(snapshot["plan"].get("title")),
            "period": period_label,
        }
        workbook.properties.subject = signed_line(evaluation)
        workbook.properties.keywords = f"state:{'signed' if is_signed(evaluation) else 'draft'}"
        workbook.properties.creator = "CPIS"
        frozen_at = parse_datetime(evaluation.get("frozen_at"))
        if frozen_at:
            stamp = frozen_at.astimezone(UTC).replace(tzinfo=None)
            workbook.properties.created = stamp
        out = BytesIO()
        workbook.save(out)
        return out.getvalue()


def _all_activities(
    snapshot: Snapshot,
) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any], Mapping[str, Any]]]:
    for goal in snapshot.get("goals", []):
        for objective in goal.get("objectives", []):
            for activity in objective.get("activities", []):
                yield goal, objective, activity
