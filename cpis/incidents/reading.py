"""Reading incident files in chunks: CSV (streamed, any size), XLSX (openpyxl
read-only, row by row) and GeoJSON (a FeatureCollection of points; read whole,
so prefer CSV for millions of rows). A reader gives the header and then
chunks of raw rows with their line numbers, never the whole file as Python
objects. Line numbers are the file's: the CSV line (the header is line 1),
the spreadsheet row, or the feature's position in the collection."""

import csv
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any
from zipfile import BadZipFile

import numpy as np
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput

from .models import Format

EXTENSIONS = {".csv": Format.CSV, ".txt": Format.CSV, ".xlsx": Format.XLSX, ".geojson": Format.GEOJSON}
# The column a GeoJSON feature's geometry is read into.
GEOMETRY = "geometry"
# Files larger than this are not accepted through a web page (use the command line); the
# analytics' upload of a file to analyse keeps the same limit.
MAX_UPLOAD_BYTES = 512 * 1024 * 1024
# CSV fields longer than this are not incident data (the csv module's default is 128 KiB).
MAX_FIELD = 64 * 1024


@dataclass
class Chunk:
    """Raw values as read, by column (the file's columns in header order):
    strings from CSV; numbers, dates and strings from XLSX; property values
    and the geometry from GeoJSON. Rows shorter than the header read None."""

    lines: np.ndarray  # int64, one per row
    columns: Sequence[Sequence[Any]]
    fraction: float  # of the file read once this chunk is done
    text: bool = False  # every value is a str (CSV)
    # Rows refused as they were read: index → (reason, the row as it was).
    broken: dict[int, tuple[str, list[Any]]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.lines)

    def row(self, i: int) -> list[Any]:
        return [column[i] for column in self.columns]


def transpose(rows: list[Sequence[Any]], width: int, pad: Any = None) -> list[Sequence[Any]]:
    """Rows to `width` columns; short rows padded with `pad`, long ones cut."""
    if not rows:
        return [() for _ in range(width)]
    lengths = set(map(len, rows))
    if lengths != {width}:
        rows = [list(row[:width]) + [pad] * (width - len(row)) for row in rows]
    return list(zip(*rows, strict=True))


def format_of(name: str, fmt: str | None) -> str:
    """The format asked for, or the one the file name's extension says."""
    if fmt:
        if fmt not in Format.values:
            raise InvalidInput(_("Unknown format “%(format)s”: use csv, xlsx or geojson.") % {"format": fmt})
        return fmt
    suffix = Path(name).suffix.lower()
    if suffix == ".json":
        return Format.GEOJSON
    if suffix not in EXTENSIONS:
        raise InvalidInput(
            _("Say which format “%(name)s” is in: csv, xlsx or geojson.") % {"name": Path(name).name}
        )
    return EXTENSIONS[suffix]


class CountingReader(io.RawIOBase):
    """A binary file that counts the bytes read from it: the progress of a
    streamed CSV, at no cost per row."""

    def __init__(self, raw: IO[bytes] | io.RawIOBase) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.count += size
        return size


class Reader:
    header: list[str]

    def chunks(self, size: int) -> Iterator[Chunk]:
        raise NotImplementedError


class CsvReader(Reader):
    """UTF-8 CSV (a byte-order mark is allowed), separated by commas,
    semicolons or tabs: whichever the header line has most of.

    Blocks of a few megabytes without a quote character are split with
    str.split, column by column (no Python work per row); from the first
    quote on, the csv module reads the rest, so quoted fields, even across
    lines, are read right."""

    BLOCK = 1 << 22

    def __init__(self, raw: IO[bytes], total_bytes: int) -> None:
        self.raw = raw
        self.total = max(total_bytes, 1)
        first = raw.readline()
        try:
            text = first.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(_("The file is not UTF-8 text.")) from exc
        if not text.strip():
            raise InvalidInput(_("The file is empty: it has no header line."))
        self.delimiter = max(",;\t", key=text.count)
        csv.field_size_limit(MAX_FIELD)
        self.header = [name.strip() for name in next(csv.reader([text], delimiter=self.delimiter))]
        self.read = len(first)

    def chunks(self, size: int) -> Iterator[Chunk]:
        width, delimiter = len(self.header), self.delimiter
        line = 1  # the last line read: the header's
        rest = b""
        held: list[list[str]] = [[] for _ in range(width)]  # rows split but not handed out yet
        while True:
            block = self.raw.read(self.BLOCK)
            data = rest + block
            if block:
                cut = data.rfind(b"\n") + 1
                data, rest = data[:cut], data[cut:]
            else:
                rest = b""
                if data and not data.endswith(b"\n"):
                    data += b"\n"  # the last line has no line break
            if not data:
                break
            columns = self._split(data, width, delimiter, line) if b'"' not in data else None
            if columns is None:  # quotes, blank or ragged lines: the csv module reads the rest
                if held[0]:
                    lines = np.arange(line - len(held[0]) + 1, line + 1)
                    yield Chunk(lines, held, self.read / self.total, text=True)
                yield from self._csv_module(data + rest, line, size)
                return
            self.read += len(data)
            line += len(columns[0])
            for kept, new in zip(held, columns, strict=True):
                kept.extend(new)
            while len(held[0]) >= size:
                first = line - len(held[0]) + 1
                out, held = [c[:size] for c in held], [c[size:] for c in held]
                yield Chunk(np.arange(first, first + size), out, min(self.read / self.total, 1.0), text=True)
        if held[0]:
            yield Chunk(np.arange(line - len(held[0]) + 1, line + 1), held, 1.0, text=True)

    @staticmethod
    def _split(data: bytes, width: int, delimiter: str, line: int) -> list[list[str]] | None:
        """A block of whole lines without quotes, split into columns; None
        when a line has a different number of fields (or is blank)."""
        # Every line must hold width - 1 separators, counted on the bytes (an
        # ASCII separator never occurs inside a UTF-8 character).
        raw = np.frombuffer(data, dtype=np.uint8)
        breaks = np.flatnonzero(raw == 10)
        separators = np.cumsum(raw == ord(delimiter))[breaks]
        if (np.diff(separators, prepend=0) != width - 1).any():
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                _("The file is not UTF-8 text (after line %(line)s).") % {"line": line}
            ) from exc
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        rows = text.count("\n")
        flat = text.replace("\n", delimiter).split(delimiter)
        flat.pop()  # after the last line break
        if len(flat) != rows * width or (width == 1 and "" in flat):
            return None
        return [flat[j::width] for j in range(width)]

    def _csv_module(self, head: bytes, line: int, size: int) -> Iterator[Chunk]:
        counter = CountingReader(_Chained(head, self.raw))
        text = io.TextIOWrapper(io.BufferedReader(counter, buffer_size=1 << 20), encoding="utf-8", newline="")
        reader = csv.reader(text, delimiter=self.delimiter)
        width = len(self.header)
        reader_line = 0
        while True:
            try:
                rows = list(islice(reader, size))
            except UnicodeDecodeError as exc:
                raise InvalidInput(
                    _("The file is not UTF-8 text (after line %(line)s).") % {"line": line + reader_line}
                ) from exc
            except csv.Error as exc:
                raise InvalidInput(
                    _("The file is not valid CSV after line %(line)s: %(error)s")
                    % {"line": line + reader.line_num, "error": exc}
                ) from exc
            if not rows:
                return
            end = reader.line_num
            if end - reader_line == len(rows):
                lines = np.arange(line + reader_line + 1, line + end + 1, dtype=np.int64)
            else:
                lines = _lines_with_breaks(rows, line + reader_line)
            reader_line = end
            if not all(map(any, rows)):  # blank lines carry nothing: skip them
                keep = [i for i, row in enumerate(rows) if any(row)]
                rows, lines = [rows[i] for i in keep], lines[keep]
                if not rows:
                    continue
            fraction = min((self.read + counter.count) / self.total, 1.0)
            message = _("The line has %(found)s fields where the header has %(expected)s.")
            broken = {
                i: (message % {"found": len(row), "expected": width}, row)
                for i, row in enumerate(rows)
                if len(row) > width
            }
            chunk = Chunk(lines, transpose(rows, width, pad=""), fraction, text=True)  # type: ignore[arg-type]
            chunk.broken = broken
            yield chunk


class _Chained(io.RawIOBase):
    """`head` bytes, then the rest of `raw`."""

    def __init__(self, head: bytes, raw: IO[bytes]) -> None:
        self.head = memoryview(head)
        self.raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size] = self.head[:size]
            self.head = self.head[size:]
            return size
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _lines_with_breaks(rows: list[list[str]], before: int) -> np.ndarray:
    """First line of each row when quoted fields span several lines."""
    spans = np.fromiter((1 + sum(field.count("\n") for field in row) for row in rows), np.int64, len(rows))
    return before + 1 + np.concatenate(([0], np.cumsum(spans)[:-1]))


class XlsxReader(Reader):
    """The first worksheet; the first row is the header."""

    def __init__(self, raw: IO[bytes]) -> None:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            self.book = load_workbook(raw, read_only=True, data_only=True)
        except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
            raise InvalidInput(_("The file is not an XLSX workbook.")) from exc
        sheet = self.book.worksheets[0]
        self.first_row = sheet.min_row or 1
        self.total = max((sheet.max_row or 1) - self.first_row, 1)
        self.rows = sheet.iter_rows(values_only=True)
        first = next(self.rows, None)
        if not first or all(cell is None for cell in first):
            raise InvalidInput(_("The file is empty: it has no header line."))
        self.header = ["" if cell is None else str(cell).strip() for cell in first]

    def chunks(self, size: int) -> Iterator[Chunk]:
        width = len(self.header)
        rows: list[Sequence[Any]] = []
        lines: list[int] = []
        for line, row in enumerate(self.rows, start=self.first_row + 1):
            if all(cell is None for cell in row):
                continue
            rows.append(row)
            lines.append(line)
            if len(rows) == size:
                done = min((line - self.first_row) / self.total, 1.0)
                yield Chunk(np.array(lines, dtype=np.int64), transpose(rows, width), done)
                rows, lines = [], []
        self.book.close()
        if rows:
            yield Chunk(np.array(lines, dtype=np.int64), transpose(rows, width), 1.0)


class GeoJsonReader(Reader):
    """A FeatureCollection: each feature's properties are its columns, and
    its geometry (a Point) is one more column, "geometry"."""

    def __init__(self, raw: IO[bytes]) -> None:
        try:
            data = json.load(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput(_("The file is not valid GeoJSON.")) from exc
        if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
            raise InvalidInput(_("A GeoJSON file must hold one FeatureCollection."))
        features = data.get("features")
        if not isinstance(features, list):
            raise InvalidInput(_("A GeoJSON file must hold one FeatureCollection."))
        names: dict[str, None] = {}
        for feature in features:
            properties = feature.get("properties") if isinstance(feature, dict) else None
            if isinstance(properties, dict):
                names.update(dict.fromkeys(str(key) for key in properties))
        names.pop(GEOMETRY, None)
        self.header = [*names, GEOMETRY]
        self.features = features

    def chunks(self, size: int) -> Iterator[Chunk]:
        keys = self.header[:-1]
        total = max(len(self.features), 1)
        for start in range(0, len(self.features), size):
            rows: list[Sequence[Any]] = []
            for feature in self.features[start : start + size]:
                if not isinstance(feature, dict):
                    rows.append([None] * len(keys) + [{"type": None}])
                    continue
                properties = feature.get("properties")
                if not isinstance(properties, dict):
                    properties = {}
                rows.append([properties.get(key) for key in keys] + [feature.get("geometry")])
            lines = np.arange(start + 1, start + 1 + len(rows), dtype=np.int64)
            yield Chunk(lines, transpose(rows, len(self.header)), min((start + len(rows)) / total, 1.0))


def open_reader(raw: IO[bytes], fmt: str, *, size: int) -> Reader:
    """A reader of `raw` (a binary file of `size` bytes) in the format."""
    if fmt == Format.CSV:
        return CsvReader(raw, size)
    if fmt == Format.XLSX:
        return XlsxReader(raw)
    return GeoJsonReader(raw)


# --- the rejects file -------------------------------------------------------------


SPREADSHEET_FORMULA = re.compile(r"^[=+\-@\t\r]")


def reject_cell(value: Any) -> str:
    """A raw value as rejects-file text; formulas made harmless for spreadsheets."""
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
    return "'" + text if SPREADSHEET_FORMULA.match(text) else text


class RejectsWriter:
    """The rejects CSV: line, reason, then the row's mapped columns as written.
    Columns mapped to nothing (names, say) are left out: they never enter."""

    def __init__(self, out: IO[str], header: Sequence[str], keep: Sequence[int] | None = None) -> None:
        self.writer = csv.writer(out)
        self.keep = list(range(len(header))) if keep is None else sorted(set(keep))
        names = [header[i] if i < len(header) else "" for i in self.keep]
        self.writer.writerow(["line", "reason", *map(reject_cell, names)])

    def write(self, rejects: list[tuple[int, str, Sequence[Any]]]) -> None:
        self.writer.writerows(
            [line, reason, *(reject_cell(row[i]) if i < len(row) else "" for i in self.keep)]
            for line, reason, row in rejects
        )


def match_columns(
    header: Sequence[str], mapping: dict[str, str], fields: Sequence[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """(field → column index, column name → index) for a file's header: a field
    mapped to a column (`--map field=COLUMN`, the name matched exactly or case
    aside) is read from it, a field not mapped from a column of its own name
    when there is one. InvalidInput for an unknown field or a missing column."""
    unknown = sorted(set(mapping) - set(fields))
    if unknown:
        raise InvalidInput(
            _("Unknown field “%(field)s”. The fields are: %(fields)s.")
            % {"field": unknown[0], "fields": ", ".join(fields)}
        )
    position = {name: i for i, name in enumerate(header) if name}
    folded = {name.lower(): i for name, i in reversed(position.items())}
    resolved: dict[str, int] = {}
    for name in fields:
        column = (mapping.get(name) or "").strip()
        if column:
            if column not in position and column.lower() not in folded:
                raise InvalidInput(
                    _("The file has no column “%(column)s” (for %(field)s). Its columns are: %(columns)s.")
                    % {"column": column, "field": name, "columns": ", ".join(header)}
                )
            resolved[name] = position.get(column, folded.get(column.lower(), -1))
        elif name in folded:
            resolved[name] = folded[name]
    return resolved, position
