"""A near-repeat or scan result as a table: the CSV download and the
command line print the same columns."""

from typing import Any

NEAR_REPEAT_COLUMNS = [
    "space",
    "time",
    "observed",
    "expected",
    "knox_ratio",
    "p_value",
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


def result_table(kind: str, result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of a near-repeat or scan result (as stored by `to_json`)."""
    if kind == "near_repeat":
        rows = [
            [c["space_label"], c["time_label"], c["observed"], round(c["expected"], 4), c["ratio"],
             c["p_value"], c["significant_and_meaningful"]]
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
