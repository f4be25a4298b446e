"""The action plan as the workbook coordinators work in. Three sheets:
"Plan" (key, value), "Activities" (one row per activity, with its goal,
objective, responsible bodies, time limit, due date, budget and the
indicators' texts) and "Indicators" (one row per indicator, with unit,
target and source). Headers are fixed keys so that a file survives being
edited in any language. Reading checks every cell and reports each
problem with its sheet, row and column; a workbook with any problem
yields nothing, so nothing is half-imported. write → read gives back the
same plan exactly."""

from .layout import MAX_BYTES, Problem, WorkbookInvalid
from .reading import read_workbook
from .writing import write_workbook

__all__ = ["MAX_BYTES", "Problem", "WorkbookInvalid", "read_workbook", "write_workbook"]
