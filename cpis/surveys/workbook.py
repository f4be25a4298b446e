"""Paper questionnaires as XLSX: the template a wave's keyed-in forms are
typed into (one row per form: the sector's code, the channel, the
background, then one column per question code, with drop-down lists and
ranges where a spreadsheet can check them), and reading a filled workbook
back into rows for `services.paper`, which checks every cell."""

import io
import zipfile
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cpis.core.errors import InvalidInput
from cpis.core.exports import safe_cell

from .models import AgeBand, Community, Gender, Question, QuestionKind, Wave
from .selectors import questionnaires
from .selectors import responses as selectors
from .services.paper import FIXED_COLUMNS, MAX_ROWS, PAPER_CHANNELS, STRAY, Cell, PaperRow, PaperSheet

SHEET = "responses"
LISTS = "lists"
MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the template -----------------------------------------------------------------------


def _sector_keys(wave: Wave) -> list[str]:
    """Each sector of the wave by its code, or its path where codes repeat."""
    sectors = list(selectors.list_wave_sectors(wave))
    codes = [sector.code for sector in sectors]
    return [sector.code if codes.count(sector.code) == 1 else sector.path for sector in sectors]


def _allowed(question: Question) -> str:
    kind = question.kind
    if kind == QuestionKind.AGREE5:
        return _("1 (strongly disagree) to 5 (strongly agree)")
    if kind == QuestionKind.SCORE10:
        return _("a whole number from 0 to 10")
    if kind == QuestionKind.YESNO:
        return _("1 for yes, 0 for no")
    codes = ", ".join(f"{option.code} ({option.label})" for option in question.options.all())
    if kind == QuestionKind.SINGLE:
        return _("one of: %(codes)s") % {"codes": codes}
    if kind == QuestionKind.MULTIPLE:
        return _("any of these, separated by semicolons: %(codes)s") % {"codes": codes}
    return _("text, at most 2,000 characters; no names")


class _Lists:
    """The hidden sheet of the drop-down lists, one column each."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.column = 0

    def add(self, title: str, values: Sequence[str]) -> str:
        self.column += 1
        letter = get_column_letter(self.column)
        self.sheet.cell(row=1, column=self.column, value=title)
        for row, value in enumerate(values, start=2):
            self.sheet.cell(row=row, column=self.column, value=safe_cell(value))
        return f"{LISTS}!${letter}$2:${letter}${max(2, len(values) + 1)}"


def _validation(kind: str, **options: Any) -> DataValidation:
    rule = DataValidation(type=kind, allow_blank=True, showErrorMessage=True, **options)
    rule.errorTitle = _("Not an allowed value")
    rule.error = _("Choose or type a value the column allows (see the sheet of questions).")
    return rule


def _question_rule(question: Question, lists: _Lists) -> DataValidation | None:
    kind = question.kind
    if kind == QuestionKind.AGREE5:
        return _validation("whole", operator="between", formula1="1", formula2="5")
    if kind == QuestionKind.SCORE10:
        return _validation("whole", operator="between", formula1="0", formula2="10")
    if kind == QuestionKind.YESNO:
        return _validation("whole", operator="between", formula1="0", formula2="1")
    if kind == QuestionKind.SINGLE:
        codes = [option.code for option in question.options.all()]
        return _validation("list", formula1=lists.add(question.code, codes))
    if kind == QuestionKind.TEXT:
        return _validation("textLength", operator="lessThanOrEqual", formula1="2000")
    return None  # several choices: a list cannot check them


def paper_template(wave: Wave) -> bytes:
    """The XLSX template for the wave's paper questionnaires, in the reader's language."""
    questions = questionnaires.list_questions(wave.version)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    sheet = workbook.create_sheet(SHEET)
    lists = _Lists(workbook.create_sheet(LISTS))
    legend = workbook.create_sheet(_("questions")[:31])
    header = [*FIXED_COLUMNS, *(question.code for question in questions)]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    last = MAX_ROWS + 1
    fixed_rules = {
        "sector": _validation("list", formula1=lists.add("sector", _sector_keys(wave))),
        "channel": _validation("list", formula1=lists.add("channel", list(PAPER_CHANNELS))),
        "community": _validation("list", formula1=lists.add("community", list(Community.values))),
        "gender": _validation("list", formula1=lists.add("gender", list(Gender.values))),
        "age_band": _validation("list", formula1=lists.add("age_band", list(AgeBand.values))),
        "municipality": _validation(
            "list", formula1=lists.add("municipality", [m.code for m in selectors.list_municipalities()])
        ),
    }
    notes = {
        "sector": _("The sector's code, from the list."),
        "channel": _("paper (blank), or door, meeting or outreach when an officer filled the form in."),
        "community": _("Optional."),
        "gender": _("Optional."),
        "age_band": _("Optional."),
        "municipality": _("Optional: the municipality's code; blank means the sector's."),
    }
    rules = [*fixed_rules.values()]
    for index, name in enumerate(FIXED_COLUMNS, start=1):
        letter = get_column_letter(index)
        fixed_rules[name].add(f"{letter}2:{letter}{last}")
        sheet.cell(row=1, column=index).comment = Comment(notes[name], "CPIS")
        sheet.column_dimensions[letter].width = 14
    legend.append([_("column"), _("question"), _("answer")])
    for index, question in enumerate(questions, start=len(FIXED_COLUMNS) + 1):
        letter = get_column_letter(index)
        allowed = _allowed(question)
        sheet.cell(row=1, column=index).comment = Comment(f"{question.text}\n{allowed}", "CPIS")
        sheet.column_dimensions[letter].width = 14
        legend.append([question.code, safe_cell(question.text), safe_cell(allowed)])
        rule = _question_rule(question, lists)
        if rule is not None:
            rule.add(f"{letter}2:{letter}{last}")
            rules.append(rule)
    for rule in rules:
        sheet.add_data_validation(rule)
    lists.sheet.sheet_state = "hidden"
    legend.column_dimensions["B"].width = 80
    legend.column_dimensions["C"].width = 60
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- reading a filled workbook ----------------------------------------------------------------


def _open(data: bytes) -> Any:
    not_xlsx = _("The file is not an XLSX workbook.")
    if len(data) > MAX_BYTES:
        raise InvalidInput(_("The file is larger than 10 MB."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise InvalidInput(not_xlsx) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise InvalidInput(_("The workbook unpacks to more than 100 MB."))
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput(not_xlsx) from exc


def _unquote(value: Any) -> Any:
    """Undo the formula-injection guard of text written by a spreadsheet export."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] in {"=", "+", "-", "@"}:
        return value[1:]
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_paper(data: bytes) -> PaperSheet:
    """The rows of the sheet "responses" (or the first sheet): the header's
    names in the first row, then every row that is not empty, each cell
    under its column's name. InvalidInput for a file that is not a workbook."""
    workbook = _open(data)
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        first = next(lines, None)
        if first is None:
            raise InvalidInput(_("The sheet is empty."))
        header = [
            (get_column_letter(index), str(_unquote(value) or "").strip().lower())
            for index, value in enumerate(first, start=1)
        ]
        rows: list[PaperRow] = []
        for number, values in enumerate(lines, start=2):
            if len(rows) > MAX_ROWS:
                break  # the service refuses more than MAX_ROWS rows
            if all(_blank(value) for value in values):
                continue
            cells = {
                name: Cell(letter, _unquote(value))
                for (letter, name), value in zip(header, values, strict=False)
                if name and not _blank(value)
            }
            stray = [
                Cell(get_column_letter(index), value)
                for index, value in enumerate(values, start=1)
                if index > len(header) or not header[index - 1][1]
                if not _blank(value)
            ]
            for cell in stray:
                cells.setdefault(f"{STRAY}{cell.column}", cell)
            rows.append(PaperRow(number, cells))
    finally:
        workbook.close()
    return PaperSheet(header=header, rows=rows)
