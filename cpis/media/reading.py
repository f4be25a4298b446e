"""Reading a spreadsheet of media reports: CSV (UTF-8, with or without a BOM; comma,
semicolon or tab) or XLSX (the first sheet). The first row names the columns; each
row after it comes with its line in the file, as the person sees it. Media logs are
small (a few thousand rows), so the file is read whole, up to MAX_ROWS."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zipfile import BadZipFile

from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.core.uploads import Upload

MAX_ROWS = 20_000


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (line in the file, values)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(_("The CSV file must be saved as UTF-8 text.")) from exc
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise InvalidInput(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


def _xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInput(_("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def read_table(upload: Upload) -> Table:
    """The file's header and rows (blank rows left out); InvalidInput for a file that
    is neither CSV nor XLSX, has no header, or has more than MAX_ROWS rows."""
    if upload.suffix in {".csv", ".txt"}:
        raw = _csv(upload.data)
    elif upload.suffix == ".xlsx" or upload.data.startswith(b"PK\x03\x04"):
        raw = _xlsx(upload.data)
    else:
        raise InvalidInput(_("Upload a CSV or an XLSX file."))
    if not raw or not any(str(v).strip() for v in raw[0]):
        raise InvalidInput(_("The file is empty: its first row must name the columns."))
    header = [str(v).strip() for v in raw[0]]
    rows = [(i, row) for i, row in enumerate(raw[1:], start=2) if any(str(v).strip() for v in row)]
    if len(rows) > MAX_ROWS:
        raise InvalidInput(_("The file has more than %(n)s rows; split it.") % {"n": MAX_ROWS})
    return Table(header, rows)
