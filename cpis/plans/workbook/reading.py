"""Reading a workbook back into a plan: every cell checked, each problem
reported with its sheet, row and column; any problem and nothing is read."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from ..services import validate_spec
from ..spec import (
    ActivitySpec,
    GoalSpec,
    IndicatorSpec,
    ObjectiveSpec,
    PlanSpec,
    ResponsibleSpec,
    due_date_for,
)
from .layout import (
    ACTIVITY_COLUMNS,
    INDICATOR_COLUMNS,
    LIMITS,
    MAX_BYTES,
    MAX_DUE_DAYS,
    MAX_DUE_MONTHS,
    MAX_NUMBER,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    PLAN_KEYS,
    Problem,
    WorkbookInvalid,
)


def _unquote(value: Any) -> Any:
    """Undo the formula-injection guard on text we wrote ourselves."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] in {"=", "+", "-", "@", "\t", "\r"}:
        return value[1:]
    return value


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, sheet: str, row: int, column: str, reason: str) -> None:
        self.problems.append(Problem(sheet, row, column, reason))

    def text(self, value: Any) -> str:
        value = _unquote(value)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def day(self, value: Any, sheet: str, row: int, column: str, *, required: bool) -> date | None:
        if value in (None, ""):
            if required:
                self.problem(sheet, row, column, _("a date is needed"))
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.problem(sheet, row, column, _("not a date (write YYYY-MM-DD)"))
            return None

    def whole(self, value: Any, sheet: str, row: int, column: str, *, most: int) -> int | None:
        number = _number(value)
        if number is None:
            return None
        if not number.is_finite() or not 0 <= number <= most or number != number.to_integral_value():
            self.problem(sheet, row, column, _("not a whole number from 0 to %(most)s") % {"most": most})
            return None
        return int(number)

    def decimal(self, value: Any, sheet: str, row: int, column: str) -> Decimal | None:
        number = _number(value)
        if number is None:
            return None
        if not number.is_finite() or not 0 <= number < MAX_NUMBER:
            self.problem(sheet, row, column, _("not a number from 0 to 9,999,999,999"))
            return None
        return number.quantize(Decimal("0.01")) if number != number.to_integral_value() else number


def _number(value: Any) -> Decimal | None:
    """A cell as a Decimal; None when it is empty, −1 (outside every range) when it is not a number."""
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return Decimal(-1)


def _rows(workbook: Any, name: str, columns: list[str], reader: _Reader) -> list[tuple[int, dict[str, Any]]]:
    if name not in workbook.sheetnames:
        reader.problem(name, 1, "-", _("the sheet is missing"))
        return []
    sheet = workbook[name]
    rows = sheet.iter_rows(values_only=True)
    header = [reader.text(v) for v in next(rows, ())]
    missing = [c for c in columns if c not in header]
    for column in missing:
        reader.problem(name, 1, column, _("the column is missing"))
    if missing:
        return []
    found = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            reader.problem(name, number, "-", _("too many rows"))
            break
        if all(v in (None, "") for v in values):
            continue
        row = {h: values[i] if i < len(values) else None for i, h in enumerate(header) if h}
        for column, limit in LIMITS.get(name, {}).items():
            if len(reader.text(row.get(column))) > limit:
                reader.problem(name, number, column, _("longer than %(limit)s characters") % {"limit": limit})
        found.append((number, row))
    return found


def read_workbook(data: bytes) -> PlanSpec:
    """Parse and check a whole workbook; raise WorkbookInvalid listing every problem."""
    reader = _Reader()
    workbook = _open(data)
    spec = _read_plan(workbook, reader)
    indicator_rows = _read_indicators(workbook, reader)
    row_of = _read_activities(workbook, reader, spec, indicator_rows)
    for code in indicator_rows:
        if code not in row_of:
            reader.problem("Indicators", 0, "code", _("no activity has the code %(code)s") % {"code": code})
    _check_due_dates(spec, reader, row_of)
    if reader.problems:
        raise WorkbookInvalid(reader.problems)
    problems = validate_spec(spec)
    if problems:
        raise WorkbookInvalid([Problem("Activities", 0, "-", p) for p in problems])
    return spec


def _open(data: bytes) -> Any:
    """The workbook, read-only, once its size and its unpacked size are within bounds."""
    if len(data) > MAX_BYTES:
        raise WorkbookInvalid([Problem("-", 0, "-", _("the file is larger than 10 MB"))])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise WorkbookInvalid([Problem("-", 0, "-", _("the file is not an XLSX workbook"))]) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookInvalid([Problem("-", 0, "-", _("the workbook unpacks to more than 100 MB"))])
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise WorkbookInvalid([Problem("-", 0, "-", _("the file is not an XLSX workbook"))]) from exc


def _read_plan(workbook: Any, reader: _Reader) -> PlanSpec:
    plan_values: dict[str, Any] = {}
    for number, row in _rows(workbook, "Plan", ["key", "value"], reader):
        plan_values[reader.text(row["key"])] = (number, row["value"])
    for key in PLAN_KEYS:
        if key not in plan_values and "Plan" in workbook.sheetnames:
            reader.problem("Plan", 1, key, _("the key is missing"))

    def plan_text(key: str) -> str:
        return reader.text(plan_values.get(key, (0, None))[1])

    def plan_day(key: str) -> date:
        number, value = plan_values.get(key, (0, None))
        return reader.day(value, "Plan", number, key, required=key in plan_values) or date.min

    spec = PlanSpec(
        code=plan_text("code"),
        titles={"en": plan_text("title_en"), "sq": plan_text("title_sq"), "sr": plan_text("title_sr")},
        period_start=plan_day("period_start"),
        period_end=plan_day("period_end"),
        approved_on=plan_day("approved_on"),
        notes=[line for line in plan_text("notes").splitlines() if line.strip()],
    )
    if not spec.code and plan_values:
        reader.problem("Plan", plan_values.get("code", (1, None))[0], "code", _("the plan needs a code"))
    return spec


def _read_indicators(workbook: Any, reader: _Reader) -> dict[str, list[IndicatorSpec]]:
    """The indicators by their activity's code."""
    indicator_rows: dict[str, list[IndicatorSpec]] = {}
    for number, row in _rows(workbook, "Indicators", INDICATOR_COLUMNS, reader):
        code = reader.text(row["code"])
        texts = {lang: reader.text(row[f"text_{lang}"]) for lang in ("en", "sq", "sr")}
        if not texts["en"]:
            reader.problem("Indicators", number, "text_en", _("the English text is missing"))
        unit = reader.text(row["unit"]) or "count"
        if unit not in {"count", "percent", "yes_no"}:
            reader.problem("Indicators", number, "unit", _("use count, percent or yes_no"))
        indicator_rows.setdefault(code, []).append(
            IndicatorSpec(
                texts=texts,
                unit=unit,
                target=reader.decimal(row["target"], "Indicators", number, "target"),
                source=reader.text(row["source"]),
            )
        )
    return indicator_rows


def _read_activities(
    workbook: Any, reader: _Reader, spec: PlanSpec, indicator_rows: dict[str, list[IndicatorSpec]]
) -> dict[str, int]:
    """Goals, objectives and activities into `spec`; the row of each activity code."""
    goals: dict[str, GoalSpec] = {}
    objectives: dict[str, ObjectiveSpec] = {}
    row_of: dict[str, int] = {}
    for number, row in _rows(workbook, "Activities", ACTIVITY_COLUMNS, reader):
        goal_number, objective_number = reader.text(row["goal"]), reader.text(row["objective"])
        goal = goals.get(goal_number)
        goal_texts = {lang: reader.text(row[f"goal_{lang}"]) for lang in ("en", "sq", "sr")}
        if goal is None:
            goal = goals[goal_number] = GoalSpec(number=goal_number, texts=goal_texts)
            spec.goals.append(goal)
        elif goal.texts != goal_texts:
            reader.problem("Activities", number, "goal_en", _("the goal's text differs from an earlier row"))
        objective = objectives.get(objective_number)
        objective_texts = {lang: reader.text(row[f"objective_{lang}"]) for lang in ("en", "sq", "sr")}
        if objective is None:
            objective = objectives[objective_number] = ObjectiveSpec(
                number=objective_number, texts=objective_texts
            )
            goal.objectives.append(objective)
        elif objective.texts != objective_texts:
            reader.problem(
                "Activities", number, "objective_en", _("the objective's text differs from an earlier row")
            )
        elif objective not in goal.objectives:
            reader.problem("Activities", number, "objective", _("the objective appears under two goals"))
        if not goal_number:
            reader.problem("Activities", number, "goal", _("the goal number is missing"))
        if not objective_number.startswith(goal_number + "."):
            reader.problem("Activities", number, "objective", _("the objective is not under its goal"))
        code = reader.text(row["code"])
        if not code:
            reader.problem("Activities", number, "code", _("the code is missing"))
        elif code in row_of:
            reader.problem("Activities", number, "code", _("the code is used twice"))
        elif not code.startswith(objective_number + "."):
            reader.problem("Activities", number, "code", _("the code is not under its objective"))
        row_of[code] = number
        objective.activities.append(_read_activity(reader, number, row, code, indicator_rows))
    return row_of


def _check_due_dates(spec: PlanSpec, reader: _Reader, row_of: dict[str, int]) -> None:
    """A deadline counted from approval is computed; a date given with it must agree."""
    for activity in spec.activities():
        if activity.due_rule == "after_approval" and spec.approved_on != date.min:
            computed = due_date_for(activity, spec.approved_on)
            if activity.due_date is not None and activity.due_date != computed:
                reader.problem(
                    "Activities",
                    row_of[activity.code],
                    "due_date",
                    _("does not match the time after approval (%(date)s)") % {"date": computed},
                )
            activity.due_date = computed


def _read_activity(
    reader: _Reader,
    number: int,
    row: dict[str, Any],
    code: str,
    indicator_rows: dict[str, list[IndicatorSpec]],
) -> ActivitySpec:
    sheet = "Activities"
    texts = {lang: reader.text(row[f"text_{lang}"]) for lang in ("en", "sq", "sr")}
    if not texts["en"]:
        reader.problem(sheet, number, "text_en", _("the English text is missing"))
    responsibles = []
    for line in reader.text(row["responsible"]).splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 6 or parts[0] not in {"all", "unit", "level", "internal", "external"}:
            reader.problem(
                sheet, number, "responsible", _("write each body as: kind | level | unit path | en | sq | sr")
            )
            continue
        kind, level, path, en, sq, sr = parts
        if max(len(en), len(sq), len(sr)) > 200:
            reader.problem(sheet, number, "responsible", _("a name is longer than 200 characters"))
        responsibles.append(
            ResponsibleSpec(kind=kind, level=level, unit_path=path, names={"en": en, "sq": sq, "sr": sr})
        )
    due_rule = reader.text(row["due_rule"])
    if due_rule not in {"by_date", "after_approval", "ongoing", "police_day"}:
        reader.problem(sheet, number, "due_rule", _("use by_date, after_approval, ongoing or police_day"))
    due_date = reader.day(row["due_date"], sheet, number, "due_date", required=due_rule == "by_date")
    budget = [b.strip() for b in reader.text(row["budget"]).split(",") if b.strip()]
    for code_ in budget:
        if code_ not in {"administrative", "budgeted", "budgetary_costs", "donations", "unknown"}:
            reader.problem(
                sheet,
                number,
                "budget",
                _("use administrative, budgeted, budgetary_costs, donations or unknown"),
            )
    listed = [line.strip() for line in reader.text(row["indicators"]).splitlines() if line.strip()]
    if code in indicator_rows:
        indicators = indicator_rows[code]
        if listed and listed != [i.texts["en"] for i in indicators]:
            reader.problem(sheet, number, "indicators", _("the indicators differ from the Indicators sheet"))
    else:  # a simple sheet without the Indicators sheet's details: counted by hand
        indicators = [IndicatorSpec(texts={"en": text, "sq": "", "sr": ""}) for text in listed]
    return ActivitySpec(
        code=code,
        code_as_printed=reader.text(row["code_as_printed"]),
        texts=texts,
        responsible_as_written=reader.text(row["responsible_as_written"]),
        responsibles=responsibles,
        time_limits={lang: reader.text(row[f"time_limit_{lang}"]) for lang in ("en", "sq", "sr")},
        due_rule=due_rule,
        due_days=reader.whole(row["due_days"], sheet, number, "due_days", most=MAX_DUE_DAYS),
        due_months=reader.whole(row["due_months"], sheet, number, "due_months", most=MAX_DUE_MONTHS),
        due_date=due_date,
        budget=budget,
        budget_as_written=reader.text(row["budget_as_written"]),
        note=reader.text(row["note"]),
        indicators=indicators,
    )
