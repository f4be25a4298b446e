"""Writing the plan as the coordinators' workbook."""

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cpis.core.exports import safe_cell

from ..spec import ActivitySpec, GoalSpec, ObjectiveSpec, PlanSpec, ResponsibleSpec
from .layout import ACTIVITY_COLUMNS, INDICATOR_COLUMNS, PLAN_KEYS


def _responsible_line(r: ResponsibleSpec) -> str:
    return " | ".join(
        [r.kind, r.level, r.unit_path, r.names["en"], r.names.get("sq", ""), r.names.get("sr", "")]
    )


def write_workbook(spec: PlanSpec) -> bytes:
    workbook = Workbook()
    sheet = workbook.create_sheet("Plan")
    workbook.remove(workbook.worksheets[0])
    plan_values: dict[str, Any] = {
        "code": spec.code,
        "title_en": spec.titles["en"],
        "title_sq": spec.titles.get("sq", ""),
        "title_sr": spec.titles.get("sr", ""),
        "period_start": spec.period_start,
        "period_end": spec.period_end,
        "approved_on": spec.approved_on,
        "notes": "\n".join(spec.notes),
    }
    sheet.append(["key", "value"])
    for key in PLAN_KEYS:
        sheet.append([key, safe_cell(plan_values[key])])
    activities = workbook.create_sheet("Activities")
    activities.append(ACTIVITY_COLUMNS)
    indicators = workbook.create_sheet("Indicators")
    indicators.append(INDICATOR_COLUMNS)
    for goal in spec.goals:
        for objective in goal.objectives:
            for a in objective.activities:
                activities.append([safe_cell(v) for v in _activity_row(goal, objective, a)])
                for i in a.indicators:
                    row = [a.code, i.texts["en"], i.texts["sq"], i.texts["sr"], i.unit, i.target, i.source]
                    indicators.append([safe_cell(v) for v in row])
    for ws in (sheet, activities, indicators):
        _style(ws)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _activity_row(goal: GoalSpec, objective: ObjectiveSpec, a: ActivitySpec) -> list[Any]:
    """The cells of ACTIVITY_COLUMNS, in their order."""
    return [
        goal.number,
        goal.texts["en"],
        goal.texts["sq"],
        goal.texts["sr"],
        objective.number,
        objective.texts["en"],
        objective.texts["sq"],
        objective.texts["sr"],
        a.code,
        a.code_as_printed,
        a.texts["en"],
        a.texts["sq"],
        a.texts["sr"],
        a.responsible_as_written,
        "\n".join(_responsible_line(r) for r in a.responsibles),
        a.time_limits["en"],
        a.time_limits["sq"],
        a.time_limits["sr"],
        a.due_rule,
        a.due_days,
        a.due_months,
        a.due_date,
        ", ".join(a.budget),
        a.budget_as_written,
        "\n".join(i.texts["en"] for i in a.indicators),
        a.note,
    ]


def _style(ws: Any) -> None:
    """Bold frozen headers, even widths, ISO dates, wrapped text."""
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for index in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(index)].width = 18
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
