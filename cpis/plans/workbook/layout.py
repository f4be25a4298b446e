"""The workbook's fixed layout: sheet keys and columns, the limits a
reader enforces, and the problems it reports."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput

PLAN_KEYS = ["code", "title_en", "title_sq", "title_sr", "period_start", "period_end", "approved_on", "notes"]
ACTIVITY_COLUMNS = [
    "goal",
    "goal_en",
    "goal_sq",
    "goal_sr",
    "objective",
    "objective_en",
    "objective_sq",
    "objective_sr",
    "code",
    "code_as_printed",
    "text_en",
    "text_sq",
    "text_sr",
    "responsible_as_written",
    "responsible",
    "time_limit_en",
    "time_limit_sq",
    "time_limit_sr",
    "due_rule",
    "due_days",
    "due_months",
    "due_date",
    "budget",
    "budget_as_written",
    "indicators",
    "note",
]
INDICATOR_COLUMNS = ["code", "text_en", "text_sq", "text_sr", "unit", "target", "source"]
MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024
# A workbook is a zip: what it may unpack to, so that a small file cannot
# fill the memory (a "zip bomb").
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_NUMBER = Decimal(10) ** 10
MAX_DUE_DAYS, MAX_DUE_MONTHS = 3650, 120
# The longest text each column may hold (the database's limits).
LIMITS = {
    "Activities": {
        "goal": 10,
        "objective": 10,
        "code": 12,
        "code_as_printed": 20,
        "time_limit_en": 200,
        "time_limit_sq": 200,
        "time_limit_sr": 200,
        "budget_as_written": 200,
    },
    "Indicators": {"code": 12, "source": 60},
}


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("%(sheet)s, row %(row)s, column %(column)s: %(reason)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


class WorkbookInvalid(InvalidInput):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:10])
        more = len(problems) - 10
        message = _("The workbook was not imported: %(problems)s") % {"problems": shown}
        if more > 0:
            message += " " + _("(and %(count)s more)") % {"count": more}
        super().__init__(message)
