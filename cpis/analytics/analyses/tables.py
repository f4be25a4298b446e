"""A near-repeat or scan result as a table: the CSV download and the
command line print the same columns.

A near-repeat row carries each band's label (as the NRC prints it in the NRC
mode) and beside it the band's true interval: its bounds and which of them
belong to it ("(0, 100] m", "[2, 4) days"), so that no reader has to know a
tool's conventions to read the table. The p-value is stated with its
resolution: with R permutations none can be below 1/(R + 1)."""

import math
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

NEAR_REPEAT_COLUMNS = [
    "space",
    "space_interval",
    "space_lower",
    "space_upper",
    "time",
    "time_interval",
    "time_lower",
    "time_upper",
    "observed",
    "expected",
    "knox_ratio",
    "p_value",
    "p_stated",
    "significant_and_meaningful",
]
SCAN_COLUMNS = [
    "from",
    "until",
    "observed",
    "expected",
    "llr",
    "p_value",
    "recurrence_days",
    "lat",
    "lon",
    "radius_m",
]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def band_interval(bands: dict[str, Any], index: int, unit: str) -> str:
    """The interval band `index` really counts, from a result's bands (`to_json`):
    "[0, 0.5] m" for a same-location band, "(0.5, 100] m" after it, "[0, 7] days"
    for a first band (it always holds 0), "(28, ∞) days" for "more than"."""
    lower, upper = bands["lower"][index], bands["upper"][index]
    right = bands["closed"] == "(a, b]"
    same = bool(bands.get("same_location")) and unit == "m"
    if same and index == 0:
        return f"[0, {_number(upper or 0.0)}] {unit}"
    first = index == (1 if same else 0)
    opening = "(" if right or (first and same) else "["
    if first and not same and (lower or 0.0) == 0.0:
        opening = "["
    if upper is None or not math.isfinite(upper):
        return f"{opening}{_number(lower)}, ∞) {unit}"
    closing = "]" if right else ")"
    return f"{opening}{_number(lower)}, {_number(upper)}{closing} {unit}"


def p_stated(p_value: float | None, permutations: int) -> str:
    """A permutation p-value with its resolution: "p ≤ 0.01 (99 permutations)"
    at the smallest value R permutations can give, "p = 0.23" otherwise."""
    if p_value is None or not permutations:
        return ""
    smallest = 1.0 / (permutations + 1)
    if p_value <= smallest * (1 + 1e-9):
        return ngettext(
            "p ≤ %(p)s (%(permutations)s permutation)",
            "p ≤ %(p)s (%(permutations)s permutations)",
            permutations,
        ) % {"p": f"{smallest:.3g}", "permutations": permutations}
    return _("p = %(p)s") % {"p": f"{p_value:.3f}"}


def result_table(kind: str, result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of a near-repeat or scan result (as stored by `to_json`)."""
    if kind == "near_repeat":
        space, time, permutations = result["space"], result["time"], int(result.get("permutations") or 0)
        rows = [
            [c["space_label"], band_interval(space, c["space_index"], "m"),
             c["space_lower"], c["space_upper"],
             c["time_label"], band_interval(time, c["time_index"], "days"),
             c["time_lower"], c["time_upper"],
             c["observed"], round(c["expected"], 4), c["ratio"], c["p_value"],
             p_stated(c["p_value"], permutations), c["significant_and_meaningful"]]
            for c in result["cells"]
        ]  # fmt: skip
        return NEAR_REPEAT_COLUMNS, rows
    rows = [
        [c["start_date"], c["end_date"], c["observed"], round(c["expected"], 3), round(c["llr"], 3),
         c["p_value"], None if c["recurrence_days"] is None else round(c["recurrence_days"], 1),
         c["centre_lat"], c["centre_lon"], c["radius_m"]]
        for c in result["clusters"]
    ]  # fmt: skip
    return SCAN_COLUMNS, rows
