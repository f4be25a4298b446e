"""Keyed-in paper questionnaires: the rows of a workbook (read by
`cpis.surveys.workbook`) checked one by one through the same checks as every
other response, every bad cell reported (row, column, value, reason) before
anything is written, then all rows written in one transaction. A row's
idempotency key is the wave, the file's hash and the row's number, so the
same file uploaded again adds nothing."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from cpis.core import idempotency
from cpis.core.errors import DomainError, InvalidInput
from cpis.organisation.access import Actor
from cpis.organisation.models import Municipality, Unit

from ..models import Channel, Response, ResponseStatus, Wave, WaveStatus
from ..policy import policy
from ..selectors import questionnaires
from ..selectors import responses as selectors
from .responses import (
    AnswersInvalid,
    Background,
    Draft,
    WaveNotOpen,
    check_answers,
    check_background,
    prepare,
    write,
)

# The columns before the questions' codes, in the template's order.
SECTOR, CHANNEL, COMMUNITY, GENDER, AGE_BAND, MUNICIPALITY = (
    "sector",
    "channel",
    "community",
    "gender",
    "age_band",
    "municipality",
)
FIXED_COLUMNS = (SECTOR, CHANNEL, COMMUNITY, GENDER, AGE_BAND, MUNICIPALITY)
# How a keyed-in form was filled: on paper by the respondent (blank means this), or on
# paper by an officer at the door, at a forum meeting or at an outreach event (a sheet
# names no event, so these rows link to none).
PAPER_CHANNELS = (Channel.PAPER, Channel.DOOR, Channel.MEETING, Channel.OUTREACH)
MAX_ROWS = 5000
# The name a value gets in a column without a heading ("?" and its letter).
STRAY = "?"
MULTIPLE_SEPARATORS = (";", ",")


@dataclass(frozen=True)
class Cell:
    column: str  # the sheet's column letter
    value: object


@dataclass(frozen=True)
class PaperRow:
    """A row of the sheet: its number there and its cells by the header's names."""

    number: int
    cells: dict[str, Cell]


@dataclass(frozen=True)
class PaperSheet:
    header: list[tuple[str, str]]  # (column letter, name) as written in the first row
    rows: list[PaperRow]


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    header: str
    value: object
    reason: str


class PaperRejected(InvalidInput):
    """The workbook has bad cells; nothing was written. `errors` lists every one."""

    def __init__(self, errors: Sequence[CellError]) -> None:
        self.errors = list(errors)
        super().__init__(
            _("Nothing was imported: %(count)s cells need correcting.") % {"count": len(self.errors)}
        )


@dataclass
class Imported:
    created: int = 0
    already: int = 0  # rows of this file imported before
    held: int = 0
    responses: list[Response] = field(default_factory=list)


def file_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _answer(value: object, kind: str) -> object:
    """A cell as the answer the service expects: text trimmed, a list for
    several choices (codes separated by ; or ,), numbers as they are."""
    if isinstance(value, str):
        value = value.strip()
        if kind == "multiple" and value:
            for separator in MULTIPLE_SEPARATORS:
                value = value.replace(separator, " ")
            return value.split()
    elif kind == "multiple" and value is not None:
        return [_text(value)]
    elif kind in {"single", "text"} and value is not None:
        return _text(value)
    return value


class _Row:
    """One row's checks, collecting every bad cell."""

    def __init__(self, row: PaperRow, header: dict[str, str]) -> None:
        self.row = row
        self.header = header
        self.errors: list[CellError] = []

    def cell(self, name: str) -> object:
        found = self.row.cells.get(name)
        return found.value if found else None

    def error(self, name: str, reason: str, value: object = None) -> None:
        found = self.row.cells.get(name)
        shown = found.value if found is not None and value is None else value
        column = found.column if found is not None else self.header.get(name, "")
        self.errors.append(CellError(self.row.number, column, name, shown, reason))


def _sector(check: _Row, actor: Actor, sectors: dict[str, list[Unit]]) -> Unit | None:
    given = _text(check.cell(SECTOR))
    if not given:
        check.error(SECTOR, _("Give the sector's code."))
        return None
    found = sectors.get(given.lower(), [])
    if len(found) != 1:
        check.error(
            SECTOR,
            _("No sector of this wave has this code.")
            if not found
            else _("Several sectors of this wave have this code: give the sector's full path."),
        )
        return None
    if not policy.can(actor, "review", found[0].path):
        check.error(SECTOR, _("You may not enter responses for this sector."))
        return None
    return found[0]


def _channel(check: _Row) -> str | None:
    given = _text(check.cell(CHANNEL)).lower() or Channel.PAPER
    if given not in PAPER_CHANNELS:
        check.error(CHANNEL, _("Choose one of: %(codes)s.") % {"codes": ", ".join(PAPER_CHANNELS)})
        return None
    return given


def _municipality(check: _Row, municipalities: dict[str, int]) -> tuple[bool, int | None]:
    given = _text(check.cell(MUNICIPALITY)).lower()
    if not given:
        return True, None
    if given not in municipalities:
        check.error(MUNICIPALITY, _("Unknown municipality code."))
        return False, None
    return True, municipalities[given]


def _header_errors(sheet: PaperSheet, codes: set[str]) -> list[CellError]:
    errors, seen = [], set()
    for column, name in sheet.header:
        if not name:
            continue
        if name in seen:
            errors.append(CellError(1, column, name, name, _("This column appears twice.")))
        elif name not in FIXED_COLUMNS and name not in codes:
            errors.append(CellError(1, column, name, name, _("Unknown column: not a question of this wave.")))
        seen.add(name)
    if SECTOR not in seen:
        errors.append(CellError(1, "", SECTOR, None, _("The sheet has no sector column.")))
    return errors


def _sectors_by_key(wave: Wave) -> dict[str, list[Unit]]:
    found: dict[str, list[Unit]] = {}
    for sector in selectors.list_wave_sectors(wave):
        found.setdefault(sector.code.lower(), []).append(sector)
        found.setdefault(sector.path.lower(), []).append(sector)
        found.setdefault(sector.path.lower().rstrip("/"), []).append(sector)
    return found


def check_sheet(
    actor: Actor, *, wave: Wave, sheet: PaperSheet
) -> tuple[list[tuple[PaperRow, Draft]], list[CellError]]:
    """Every row checked, nothing written: (the rows ready to write, every bad cell)."""
    if wave.status != WaveStatus.OPEN:
        raise WaveNotOpen()
    if len(sheet.rows) > MAX_ROWS:
        raise InvalidInput(_("At most %(count)s rows can be imported at once.") % {"count": MAX_ROWS})
    questions = questionnaires.list_questions(wave.version)
    kinds = {question.code: question.kind for question in questions}
    errors = _header_errors(sheet, set(kinds))
    if errors:
        return [], errors
    if not sheet.rows:
        raise InvalidInput(_("The sheet has no rows to import."))
    header = {name: column for column, name in sheet.header}
    sectors = _sectors_by_key(wave)
    municipalities = {code.lower(): pk for pk, code in Municipality.objects.values_list("pk", "code")}
    ready = []
    for row in sheet.rows:
        check = _Row(row, header)
        for name in row.cells:
            if name.startswith(STRAY):
                check.error(
                    name, _("This column has no heading: leave it empty or head it with a question's code.")
                )
        sector, channel = _sector(check, actor, sectors), _channel(check)
        known_municipality, municipality_id = _municipality(check, municipalities)
        answers = {code: _answer(check.cell(code), kind) for code, kind in kinds.items() if code in row.cells}
        background = Background(
            _text(check.cell(COMMUNITY)).lower(),
            _text(check.cell(GENDER)).lower(),
            _text(check.cell(AGE_BAND)),
            municipality_id,
        )
        if sector is None or channel is None:
            # The row cannot be prepared, but its answers and background can still be checked.
            problems = check_answers(questions, answers)[1]
            problems += check_background(background, None)[1]
            for problem in problems:
                check.error(problem.field, problem.message, problem.value)
            errors += check.errors
            continue
        try:
            draft = prepare(
                actor,
                channel=channel,
                sector=sector,
                wave=wave,
                answers=answers,
                background=background,
                require_event=False,
            )
        except AnswersInvalid as exc:
            for problem in exc.problems:
                check.error(problem.field, problem.message, problem.value)
        except DomainError as exc:
            check.error(SECTOR, str(exc))
        else:
            if known_municipality:
                ready.append((row, draft))
        errors += check.errors
    errors.sort(key=lambda error: (error.row, len(error.column), error.column))
    return ready, errors


def import_paper(actor: Actor, *, wave: Wave, sheet: PaperSheet, file_hash: str) -> Imported:
    """Import a keyed-in workbook for the wave ("review" at each row's
    sector): PaperRejected, listing every bad cell, and nothing written; or
    every row written in one transaction, each once (a row of a file
    imported before is counted as `already`)."""
    policy.require_anywhere(actor, "review")
    ready, errors = check_sheet(actor, wave=wave, sheet=sheet)
    if errors:
        raise PaperRejected(errors)
    result = Imported()
    with transaction.atomic():
        for row, draft in ready:
            key = f"paper:{wave.pk}:{file_hash}:{row.number}"
            response, replayed = idempotency.submit_once(
                key,
                {"wave": wave.pk, "file": file_hash, "row": row.number},
                create=lambda draft=draft, key=key: write(draft, key=key),  # type: ignore[misc]
                load=lambda pk: Response.objects.get(pk=pk),
            )
            if replayed:
                result.already += 1
                continue
            result.created += 1
            result.held += response.status == ResponseStatus.HELD
            result.responses.append(response)
    return result
