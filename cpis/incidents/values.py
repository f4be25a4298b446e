"""Raw values of an incident file, one at a time or a column at once:
dates, times and coordinates parsed (or a translated reason why not), and
`Memo`, which parses each distinct value of a column once per run."""

import math
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from itertools import repeat
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

EARLIEST = date(1900, 1, 1)
UNKNOWN_TIME = 24 * 60  # stands for "no time" among minutes of the day
# Remembered values per field; past this, values are parsed afresh (a file of
# timestamps to the second must not fill memory).
MEMO_LIMIT = 200_000
MISSING = -(2**62)  # not parsed yet

ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?")
DMY_DATE = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})\.?(?:[T ].*)?")
HOUR = re.compile(r"\d{1,2}")
CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})(?::\d{2}(?:\.\d+)?)?")
# Coordinate text kept as written only when PostgreSQL reads it as Python
# does: plain ASCII decimals (no "_", non-ASCII digits, or extreme exponents).
# What plain decimal text is made of (a sign, digits, a point): no exponent, no spaces.
PLAIN_CHARACTERS = b"+-.0123456789"


def shown(value: Any, limit: int = 60) -> str:
    """A raw value as quoted in a reason, cut short."""
    text = str(value).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Memo:
    """Parse each distinct value once. `parse` returns an int ≥ 0 or a reason;
    the memo keeps reasons apart as negative codes, so a column becomes one
    int64 array: values ≥ 0, reasons < 0."""

    def __init__(self, parse: Callable[[Any], int | str]) -> None:
        self.parse = parse
        self.cache: dict[Any, int] = {}
        self.reasons: list[str] = []

    def _code(self, value: Any) -> int:
        result = self.parse(value)
        if isinstance(result, str):
            self.reasons.append(result)
            return -len(self.reasons)
        return result

    def __call__(self, values: Sequence[Any]) -> np.ndarray:
        cache, n = self.cache, len(values)
        try:
            codes = np.fromiter(map(cache.get, values, repeat(MISSING, n)), dtype=np.int64, count=n)
        except TypeError:  # a list or an object in a GeoJSON property
            values = list(map(_hashable, values))
            codes = np.fromiter(map(cache.get, values, repeat(MISSING, n)), dtype=np.int64, count=n)
        for i in np.flatnonzero(codes == MISSING).tolist():
            value = values[i]
            code = cache.get(value)
            if code is None:
                code = self._code(value)
                if len(cache) < MEMO_LIMIT:
                    cache[value] = code
            codes[i] = code
        return codes

    def reason(self, code: int) -> str:
        return self.reasons[-code - 1]


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return str(value)
    return value


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def all_text(values: Sequence[Any]) -> bool:
    return set(map(type, values)) <= {str}


def as_text(values: Sequence[Any], *, text: bool = False) -> list[str]:
    """Cell values as stripped text: numbers from a spreadsheet without a
    trailing ".0", nothing as "". `text`: all are str already (CSV)."""
    if text or all_text(values):
        return list(map(str.strip, values))
    out = []
    for v in values:
        if v is None:
            out.append("")
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        else:
            out.append(str(v).strip())
    return out


# --- one value ---------------------------------------------------------------------


def parse_date_value(value: Any, *, today: date, date_format: str = "") -> int | str:
    """The day's ordinal (date.toordinal()) or a reason. Takes ISO dates
    (2014-03-02, 2014/03/02 and the Toronto form "2014/03/02 05:00:00+00",
    whose time part is ignored), day first (02.03.2014, 2/3/2014), spreadsheet
    dates, or `date_format` (strptime) when given."""
    if is_blank(value):
        return _("No date.")
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        text = str(value).strip()
        try:
            if date_format:
                day = datetime.strptime(text, date_format).date()  # noqa: DTZ007 (a day, not an instant)
            elif match := ISO_DATE.fullmatch(text):
                day = date(int(match[1]), int(match[2]), int(match[3]))
            elif match := DMY_DATE.fullmatch(text):
                day = date(int(match[3]), int(match[2]), int(match[1]))
            else:
                return _("“%(value)s” is not a date.") % {"value": shown(text)}
        except ValueError:
            return _("“%(value)s” is not a valid date.") % {"value": shown(text)}
    if day > today:
        return _("The date %(date)s is in the future.") % {"date": day.isoformat()}
    if day < EARLIEST:
        return _("The date %(date)s is before %(earliest)s.") % {
            "date": day.isoformat(),
            "earliest": EARLIEST.isoformat(),
        }
    return day.toordinal()


def parse_time_value(value: Any) -> int | str:
    """Minutes after midnight, UNKNOWN_TIME when blank, or a reason. Takes
    HH:MM (seconds ignored), an hour 0–23, or a spreadsheet time."""
    if is_blank(value):
        return UNKNOWN_TIME
    if isinstance(value, datetime | time):
        return value.hour * 60 + value.minute
    hour, minute = -1, 0
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            hour = int(value)
    else:
        text = str(value).strip()
        if HOUR.fullmatch(text):
            hour = int(text)
        elif match := CLOCK.fullmatch(text):
            hour, minute = int(match[1]), int(match[2])
    if 0 <= hour <= 23 and 0 <= minute <= 59:
        return hour * 60 + minute
    return _("“%(value)s” is not a time (HH:MM or an hour from 0 to 23).") % {"value": shown(value)}


def coordinate(value: Any) -> float | None:
    """A number from a cell, None when blank; ValueError otherwise."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # a decimal comma, as Albanian and Serbian write them
    return float(text)


def _plain(values: Sequence[str]) -> bool:
    """Whether numbers that each read as a float are all plain decimal text
    (PostgreSQL reads them as they are): made only of PLAIN_CHARACTERS, checked
    on all of them at once."""
    try:
        joined = "".join(values).encode("ascii")
    except UnicodeEncodeError:
        return False
    return not joined.translate(None, PLAIN_CHARACTERS)


def parse_coordinates(
    values: Sequence[Any], *, text: bool = False
) -> tuple[np.ndarray, list[str] | None, np.ndarray]:
    """Coordinates as float64 (NaN when blank), the text they came as (when
    all came as plain decimal text), and which were not numbers."""
    n = len(values)
    if text or all_text(values):
        try:
            numbers = np.array(values, dtype=np.float64)
        except ValueError:
            pass
        else:
            finite = np.isfinite(numbers)
            if finite.all() and _plain(values):
                return numbers, list(values), np.zeros(n, dtype=bool)
            return numbers, None, ~finite
    numbers = np.full(n, np.nan)
    bad = np.zeros(n, dtype=bool)
    for i, value in enumerate(values):
        try:
            number = coordinate(value)
        except (ValueError, TypeError):
            bad[i] = True
            continue
        if number is None:
            continue
        if not math.isfinite(number):
            bad[i] = True
        else:
            numbers[i] = number
    return numbers, None, bad


def parse_point(geometry: Any) -> tuple[float, float] | None:
    """(lon, lat) of a GeoJSON Point, or None."""
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return None
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list | tuple) or len(coordinates) < 2:
        return None
    lon, lat = coordinates[0], coordinates[1]
    if isinstance(lon, bool) or isinstance(lat, bool) or not isinstance(lon, int | float):
        return None
    if not isinstance(lat, int | float) or not (math.isfinite(lon) and math.isfinite(lat)):
        return None
    return float(lon), float(lat)
