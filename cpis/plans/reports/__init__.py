"""The six-monthly evaluation report of the action plan, as PDF and XLSX
[Evaluation 7].

Both files are rendered from the frozen snapshot an evaluation stores, never
from live rows: a report printed years later must say what was frozen and
signed then. Nothing here touches the database, so a report can be rendered
in a task, in a test or again from an archived snapshot.

common.py reads the snapshot in the reader's language, charts.py draws the
PDF's charts, pdf.py and xlsx.py lay out the two files.
"""

from .pdf import render_pdf
from .xlsx import render_xlsx

__all__ = ["render_pdf", "render_xlsx"]
