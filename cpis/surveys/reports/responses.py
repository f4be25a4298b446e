"""A wave's anonymised responses (`selectors.exports.ResponseData`) as a file:
CSV (the data), XLSX (the data and a codebook sheet naming every column and
the labels of its values) and SPSS .sav (variable labels, value labels and
measures). Text cells that a spreadsheet would run as a formula are defused
as in every export of CPIS (core.exports). pandas and pyreadstat are imported
only when a .sav is written."""

import io
import os
import tempfile
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from cpis.core.exports import XLSX_CONTENT_TYPE, safe_cell, to_csv

from ..selectors.exports import ResponseData

# What SPSS keeps of a variable's label and of a value's label, in bytes.
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_CONTENT_TYPE,
    "sav": "application/x-spss-sav",
}


def to_bytes(data: ResponseData, fmt: str) -> bytes:
    """The file in `fmt` (csv, xlsx or sav); ValueError for another format."""
    if fmt == "csv":
        return to_csv(data.header, data.rows)
    if fmt == "xlsx":
        return to_xlsx(data)
    if fmt == "sav":
        return to_sav(data)
    raise ValueError(fmt)


def codebook(data: ResponseData) -> list[list[Any]]:
    """One row per column: its name, label, measure and the labels of its values."""
    return [
        [
            column.name,
            column.label,
            column.measure,
            "; ".join(f"{value} = {label}" for value, label in column.labels.items()),
        ]
        for column in data.columns
    ]


def to_xlsx(data: ResponseData) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="responses")
    sheet.append(data.header)
    for row in data.rows:
        sheet.append([safe_cell(value) for value in row])
    book = workbook.create_sheet(title="codebook")
    book.append([_("Column"), _("Label"), _("Measure"), _("Values")])
    for row in codebook(data):
        book.append([safe_cell(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_sav(data: ResponseData) -> bytes:
    """An SPSS system file: numbers as numbers (blank: system-missing), codes and
    text as strings, each column with its label, its measure and its value labels."""
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame(
        {
            column.name: (
                pd.Series([_number(row[i]) for row in data.rows], dtype="float64")
                if column.numeric
                else pd.Series([_text(row[i]) for row in data.rows], dtype="object")
            )
            for i, column in enumerate(data.columns)
        }
    )
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        pyreadstat.write_sav(
            frame,
            path,
            file_label=data.wave.name[:64],
            column_labels={c.name: c.label for c in data.columns},
            variable_value_labels={
                c.name: {_value(k, c.numeric): v for k, v in c.labels.items()}
                for c in data.columns
                if c.labels
            },
            variable_measure={c.name: c.measure for c in data.columns},
        )
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.unlink(path)


def _number(value: Any) -> float:
    return float("nan") if value is None or value == "" else float(value)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _value(value: Any, numeric: bool) -> Any:
    return float(value) if numeric else str(value)
