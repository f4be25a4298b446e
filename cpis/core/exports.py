"""CSV and XLSX files that a spreadsheet cannot be tricked into running:
any text cell starting with =, +, -, @, tab or carriage return is prefixed
with an apostrophe (OWASP "CSV injection")."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # spreadsheets have no time zones; values are in UTC
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v.isoformat() if isinstance(v, datetime) else v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8 correctly


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, *, name: str) -> HttpResponse:
    """Rows as a CSV or XLSX attachment named `name`.`fmt`; any other format is 404."""
    if fmt == "csv":
        response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(to_xlsx(header, rows, title=name), content_type=XLSX_CONTENT_TYPE)
    else:
        raise Http404(_("Not found."))
    return attachment(response, f"{name}.{fmt}")


def attachment(response: HttpResponse, filename: str, *, inline: bool = False) -> HttpResponse:
    """Mark a response as a file to save (or to show, `inline`), never to sniff."""
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
