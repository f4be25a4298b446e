"""From raw rows to checked incident columns, a chunk at a time.

Values that repeat (categories, days, hours, units) are parsed once per run
and remembered, so a million rows cost a million dictionary look-ups, not a
million parses; coordinates are converted with NumPy in one call per chunk.
Every row that fails a check is rejected with the first reason, translated,
and the rest go on as arrays (`Batch`)."""

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from cpis.core.i18n import fold

from .models import PLACE_LENGTH, SOURCE_ID_LENGTH
from .reading import GEOMETRY, Chunk
from .values import (
    UNKNOWN_TIME,
    Memo,
    as_text,
    is_blank,
    parse_coordinates,
    parse_date_value,
    parse_point,
    parse_time_value,
    shown,
)

# The fields an incident takes from a file, in the order rows are checked.
FIELDS = ("source_id", "category", "occurred_on", "occurred_time", "lat", "lon", "place", "unit")
NO_UNIT = 0
# Ids must not hold control characters or line breaks; places may hold
# breaks and tabs, which become spaces.
ID_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")
PLACE_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PLACE_BREAKS = re.compile(r"\s*[\t\r\n]+\s*")


# --- ids seen earlier in the file ------------------------------------------------------


class SeenIds:
    """The source ids already accepted in this run, kept as 128-bit hashes
    (two independent 64-bit SipHashes) with their lines: 20 bytes per row
    instead of a Python string, so a file of millions of rows stays small in
    memory. Two different ids collide with a probability of about 2⁻¹²⁸ per
    pair. Runs sorted by the first hash are merged as they grow (a
    log-structured merge: the stable sort of two sorted runs is a linear
    merge), so remembering n ids costs O(n log n) in all."""

    def __init__(self) -> None:
        self.runs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    @staticmethod
    def keys(ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        n = len(ids)
        first = np.fromiter(map(hash, ids), dtype=np.int64, count=n)
        second = np.fromiter(map(hash, map("\x00".__add__, ids)), dtype=np.int64, count=n)
        return first, second

    def earlier(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """For each key, the line it was first seen on, or 0."""
        found = np.zeros(len(first), dtype=np.int64)
        for h1, h2, lines in self.runs:
            pos = np.searchsorted(h1, first)
            inside = pos < len(h1)
            hit = np.zeros(len(first), dtype=bool)
            hit[inside] = h1[pos[inside]] == first[inside]
            for i in np.flatnonzero(hit).tolist():
                j = int(pos[i])
                while j < len(h1) and h1[j] == first[i]:  # every entry with this first hash
                    if h2[j] == second[i] and (found[i] == 0 or lines[j] < found[i]):
                        found[i] = lines[j]
                    j += 1
        return found

    def add(self, first: np.ndarray, second: np.ndarray, lines: np.ndarray) -> None:
        order = np.argsort(first, kind="stable")
        self.runs.append((first[order], second[order], lines[order]))
        while len(self.runs) > 1 and len(self.runs[-2][0]) <= 2 * len(self.runs[-1][0]):
            (a1, a2, al), (b1, b2, bl) = self.runs.pop(), self.runs.pop()
            h1 = np.concatenate((b1, a1))
            order = np.argsort(h1, kind="stable")
            self.runs.append((h1[order], np.concatenate((b2, a2))[order], np.concatenate((bl, al))[order]))


# --- a chunk -------------------------------------------------------------------------


@dataclass
class Batch:
    """Checked incidents as columns. `lat_text`/`lon_text` keep the
    coordinates as written when they came as text (the COPY path sends them
    as they are: PostgreSQL reads them to the same doubles)."""

    lines: np.ndarray
    source_id: list[str]
    category: np.ndarray  # int64 category id
    day: np.ndarray  # int64 date ordinal
    minute: np.ndarray  # int64 minutes after midnight, UNKNOWN_TIME when unknown
    lat: np.ndarray  # float64, NaN without coordinates
    lon: np.ndarray
    place: list[str]
    unit: np.ndarray  # int64 unit id given by the file, NO_UNIT when none
    lat_text: list[str] | None = None
    lon_text: list[str] | None = None
    sector: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # -1 outside every sector

    def __len__(self) -> int:
        return len(self.lines)


@dataclass
class Context:
    """What checking a run's rows needs: the taxonomy's labels (folded →
    category id), units by path and by unambiguous code, today, and whether
    ids are made from the rows' content (`id_prefix` non-empty)."""

    categories: dict[str, int]
    units: dict[str, int]
    today: date
    date_format: str = ""
    id_prefix: str = ""  # when set, source ids are f"{id_prefix}:{line}"


class Validator:
    """Checks chunks of one file against a resolved mapping (field → column
    index) and remembers the ids it has accepted."""

    def __init__(self, mapping: dict[str, int], context: Context) -> None:
        self.mapping = mapping
        self.context = context
        self.seen = SeenIds()
        self.occurrences: dict[bytes, int] = {}
        today, date_format = context.today, context.date_format
        self.dates = Memo(lambda v: parse_date_value(v, today=today, date_format=date_format))
        self.times = Memo(parse_time_value)
        self.categories = Memo(self._category)
        self.units = Memo(self._unit)

    def _content_ids(self, picked: dict[str, Sequence[Any]], text: bool) -> list[str]:
        """Ids for a file that has none: a digest of the row's mapped values as
        written, and which occurrence of those values it is in the file (the same
        offence recorded twice stays two incidents). The same data imported again,
        under any file name and in any order of distinct rows, gets the same ids."""
        columns = [as_text(picked[name], text=text) for name in sorted(picked)]
        ids = []
        for values in zip(*columns, strict=True):
            digest = hashlib.blake2b("\x1f".join(values).encode("utf-8"), digest_size=12).digest()
            count = self.occurrences.get(digest, 0) + 1
            self.occurrences[digest] = count
            ids.append(f"{digest.hex()}-{count}")
        return ids

    def _category(self, value: Any) -> int | str:
        if is_blank(value):
            return _("No category.")
        found = self.context.categories.get(fold(str(value)))
        if found is None:
            return _("Unknown category “%(label)s”.") % {"label": shown(value)}
        return found

    def _unit(self, value: Any) -> int | str:
        if is_blank(value):
            return NO_UNIT
        text = str(value).strip()
        found = self.context.units.get(text) or self.context.units.get(text.lower())
        if found is None:
            return _("Unknown unit “%(unit)s”.") % {"unit": shown(text)}
        return found

    def validate(self, chunk: Chunk) -> tuple[Batch, list[tuple[int, str, Sequence[Any]]]]:
        """The chunk's valid rows as a Batch, and (line, reason, row) for the rest."""
        lines = chunk.lines
        n = len(chunk)
        picked = {name: chunk.columns[index] for name, index in self.mapping.items()}
        reasons: dict[int, str] = {i: reason for i, (reason, _row) in chunk.broken.items()}

        def refuse(bad: np.ndarray, reason: Callable[[int], str]) -> None:
            for i in np.flatnonzero(bad).tolist():
                if i not in reasons:
                    reasons[i] = reason(i)

        ids = self._source_ids(picked, n, refuse, text=chunk.text)

        # Category, day, time.
        category = self._codes(self.categories, picked["category"], refuse)
        day = self._codes(self.dates, picked["occurred_on"], refuse)
        if "occurred_time" in picked:
            minute = self._codes(self.times, picked["occurred_time"], refuse)
        else:
            minute = np.full(n, UNKNOWN_TIME, dtype=np.int64)

        # Coordinates.
        lat, lon, lat_text, lon_text = self._coordinates(picked, n, refuse, text=chunk.text)

        places = self._places(picked, n, refuse, text=chunk.text)

        # Unit, needed only where there are no coordinates.
        if "unit" in picked:
            unit = self._codes(self.units, picked["unit"], refuse)
        else:
            unit = np.full(n, NO_UNIT, dtype=np.int64)
        nowhere = np.isnan(lat) & (unit == NO_UNIT)
        refuse(nowhere, lambda i: _("No coordinates (and no unit)."))

        # Ids seen earlier: in this chunk, or in an earlier one.
        valid = np.ones(n, dtype=bool)
        valid[list(reasons)] = False
        self._duplicates(ids, lines, valid, reasons)

        valid[list(reasons)] = False
        keep = np.flatnonzero(valid)
        rejects: list[tuple[int, str, Sequence[Any]]] = [
            (int(lines[i]), reasons[i], chunk.broken[i][1] if i in chunk.broken else chunk.row(i))
            for i in sorted(reasons)
        ]
        keep_list = keep.tolist()
        batch = Batch(
            lines=lines[keep],
            source_id=[ids[i] for i in keep_list] if len(keep) < n else ids,
            category=category[keep],
            day=day[keep],
            minute=minute[keep],
            lat=lat[keep],
            lon=lon[keep],
            place=[places[i] for i in keep_list] if len(keep) < n else places,
            unit=unit[keep],
            lat_text=lat_text if lat_text is None or len(keep) == n else [lat_text[i] for i in keep_list],
            lon_text=lon_text if lon_text is None or len(keep) == n else [lon_text[i] for i in keep_list],
        )
        return batch, rejects

    def _source_ids(
        self, picked: dict[str, Sequence[Any]], n: int, refuse: Callable[..., None], *, text: bool
    ) -> list[str]:
        """The rows' ids (made from their content for a file without ids);
        missing, too long or with control characters, refused."""
        if self.context.id_prefix:
            ids = self._content_ids(picked, text)
        else:
            ids = as_text(picked["source_id"], text=text)
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=n)
        refuse(lengths == 0, lambda i: _("No id in the source."))
        refuse(
            lengths > SOURCE_ID_LENGTH,
            lambda i: _("The id is longer than %(limit)s characters.") % {"limit": SOURCE_ID_LENGTH},
        )
        if ID_FORBIDDEN.search("".join(ids)):
            bad = np.fromiter((bool(ID_FORBIDDEN.search(i)) for i in ids), dtype=bool, count=n)
            refuse(bad, lambda i: _("The id contains characters that are not allowed."))
        return ids

    @staticmethod
    def _places(
        picked: dict[str, Sequence[Any]], n: int, refuse: Callable[..., None], *, text: bool
    ) -> list[str]:
        """The places as written, line breaks and tabs made spaces; other
        control characters or more than PLACE_LENGTH characters, refused."""
        if "place" not in picked:
            return [""] * n
        places = as_text(picked["place"], text=text)
        if ID_FORBIDDEN.search("".join(places)):  # any control character, line breaks included
            places = [PLACE_BREAKS.sub(" ", p).strip() if PLACE_BREAKS.search(p) else p for p in places]
            bad = np.fromiter((bool(PLACE_FORBIDDEN.search(p)) for p in places), dtype=bool, count=n)
            refuse(bad, lambda i: _("The place contains characters that are not allowed."))
        if max(map(len, places), default=0) > PLACE_LENGTH:
            too_long = np.fromiter(map(len, places), dtype=np.int64, count=n) > PLACE_LENGTH
            refuse(
                too_long,
                lambda i: _("The place is longer than %(limit)s characters.") % {"limit": PLACE_LENGTH},
            )
        return places

    @staticmethod
    def _codes(memo: Memo, values: Sequence[Any], refuse: Callable[..., None]) -> np.ndarray:
        codes = memo(values)
        bad = codes < 0
        if bad.any():
            refuse(bad, lambda i: memo.reason(int(codes[i])))
            codes = np.where(bad, 0, codes)
        return codes

    def _coordinates(
        self, picked: dict[str, Sequence[Any]], n: int, refuse: Callable[..., None], *, text: bool
    ) -> tuple[np.ndarray, np.ndarray, list[str] | None, list[str] | None]:
        lat_text = lon_text = None
        if "lat" in picked and "lon" in picked:
            lat, lat_text, lat_bad = parse_coordinates(picked["lat"], text=text)
            lon, lon_text, lon_bad = parse_coordinates(picked["lon"], text=text)
            refuse(
                lat_bad, lambda i: _("“%(value)s” is not a latitude.") % {"value": shown(picked["lat"][i])}
            )
            refuse(
                lon_bad, lambda i: _("“%(value)s” is not a longitude.") % {"value": shown(picked["lon"][i])}
            )
        elif GEOMETRY in picked:
            lat, lon = np.full(n, np.nan), np.full(n, np.nan)
            not_point = np.zeros(n, dtype=bool)
            for i, geometry in enumerate(picked[GEOMETRY]):
                point = parse_point(geometry)
                if point is None:
                    not_point[i] = geometry is not None
                else:
                    lon[i], lat[i] = point
            refuse(not_point, lambda i: _("The geometry is not a point with longitude and latitude."))
        else:
            return np.full(n, np.nan), np.full(n, np.nan), None, None
        one_missing = np.isnan(lat) != np.isnan(lon)
        refuse(one_missing, lambda i: _("Give both the latitude and the longitude, or neither."))
        with np.errstate(invalid="ignore"):
            lat_range = np.abs(lat) > 90
            lon_range = np.abs(lon) > 180
        refuse(
            lat_range,
            lambda i: _("The latitude %(value)s is out of range (−90 to 90).") % {"value": shown(lat[i])},
        )
        refuse(
            lon_range,
            lambda i: _("The longitude %(value)s is out of range (−180 to 180).") % {"value": shown(lon[i])},
        )
        refuse((lat == 0) & (lon == 0), lambda i: _("The coordinates are 0, 0: the place is unknown."))
        lat = np.where(one_missing, np.nan, lat)
        lon = np.where(one_missing, np.nan, lon)
        return lat, lon, lat_text, lon_text

    def _duplicates(
        self, ids: list[str], lines: np.ndarray, valid: np.ndarray, reasons: dict[int, str]
    ) -> None:
        where = np.flatnonzero(valid)
        if not len(where):
            return
        chosen = ids if len(where) == len(ids) else [ids[i] for i in where.tolist()]
        first, second = self.seen.keys(chosen)
        chosen_lines = lines[where]
        before = self.seen.earlier(first, second)
        # Repeats inside the chunk: all but the first of each id.
        order = np.lexsort((chosen_lines, second, first))
        same = (first[order][1:] == first[order][:-1]) & (second[order][1:] == second[order][:-1])
        if same.any():
            group_start = np.concatenate(([0], np.flatnonzero(~same) + 1))
            starts = np.repeat(group_start, np.diff(np.concatenate((group_start, [len(order)]))))
            repeat = np.flatnonzero(starts != np.arange(len(order)))
            for k in repeat:
                i, j = order[k], order[starts[k]]
                if before[i] == 0:
                    before[i] = chosen_lines[j]
        message = _("The id “%(id)s” was already on line %(line)s.")
        for k in np.flatnonzero(before).tolist():
            i = int(where[k])
            reasons[i] = message % {"id": shown(ids[i]), "line": int(before[k])}
        fresh = before == 0
        if fresh.any():
            # The earliest line of each id wins, so add the fresh ones in line order.
            self.seen.add(first[fresh], second[fresh], chosen_lines[fresh])
