"""The parameters of each analysis: their types and ranges, and the check
every caller (pages, API, command line, background runs) goes through."""

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput


def edges(value: Any) -> tuple[float, ...]:
    """Band edges from "0.5,100,200" or a sequence of numbers; ValueError if not numbers."""
    if isinstance(value, str):
        parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    elif isinstance(value, list | tuple):
        parts = list(value)
    else:
        raise ValueError(value)
    numbers = tuple(float(part) for part in parts)
    if not numbers or not all(math.isfinite(n) for n in numbers):
        raise ValueError(value)
    return numbers


def flag(value: Any) -> bool:
    """A yes/no value: a bool, or "true"/"false", "on"/"off", "yes"/"no", "1"/"0"."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "on", "yes", "1"):
        return True
    if text in ("false", "off", "no", "0"):
        return False
    raise ValueError(value)


@dataclass(frozen=True)
class _Rule:
    kind: Any
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = field(default_factory=tuple)


RULES: dict[str, dict[str, _Rule]] = {
    "near_repeat": {
        "space_bandwidth": _Rule(float, 1, 5000),
        "space_bands": _Rule(int, 1, 20),
        "time_bandwidth": _Rule(float, 1, 365),
        "time_bands": _Rule(int, 1, 20),
        "metric": _Rule(str, choices=("manhattan", "euclidean")),
        "mode": _Rule(str, choices=("exact", "nrc")),
        "permutations": _Rule(int, 0, 9999),
        "seed": _Rule(int, 0, 2**31 - 1),
        # Explicit upper edges of the finite bands, instead of a bandwidth × a number of bands.
        "space_edges": _Rule(edges),
        "time_edges": _Rule(edges),
        # A same-location band [0, tolerance] first (on by default, tolerance 0 m).
        "same_location": _Rule(flag),
        "same_location_tolerance": _Rule(float, 0, 1000),
        # Which side of a band is closed: "right" (a, b] or "left" [a, b).
        "closed": _Rule(str, choices=("right", "left")),
        # The open-ended "more than" bands in space and time.
        "more_than": _Rule(flag),
        # The NRC's significance level, which sets its number of iterations (0.05: 19 permutations).
        "significance": _Rule(str, choices=("0.05", "0.01", "0.001")),
    },
    "hotspots": {
        "cell": _Rule(float, 50, 10_000),
        "permutations": _Rule(int, 0, 9999),
        "seed": _Rule(int, 0, 2**31 - 1),
        "alpha": _Rule(float, 0.001, 0.2),
        "bandwidth": _Rule(float, 25, 10_000),
    },
    "scan": {
        "days": _Rule(int, 60, 3 * 366),
        "window": _Rule(int, 1, 90),
        "radius": _Rule(float, 0, 10_000),
        "cell": _Rule(float, 50, 5000),
        "replicates": _Rule(int, 99, 9999),
        "seed": _Rule(int, 0, 2**31 - 1),
    },
}


def check_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters of an analysis, converted and range-checked; unknown or
    bad ones raise InvalidInput with a message that names them."""
    rules = RULES.get(kind)
    if rules is None:
        raise InvalidInput(_("Unknown analysis."))
    checked: dict[str, Any] = {}
    for name, value in params.items():
        rule = rules.get(name)
        if rule is None:
            raise InvalidInput(_("Unknown parameter: %(name)s.") % {"name": name})
        if value is None or value == "":
            continue
        try:
            converted = rule.kind(value)
        except (TypeError, ValueError):
            raise InvalidInput(_("%(name)s is not valid.") % {"name": name}) from None
        if rule.kind is float and not math.isfinite(converted):
            raise InvalidInput(_("%(name)s is not valid.") % {"name": name})
        if rule.choices and converted not in rule.choices:
            raise InvalidInput(
                _("%(name)s must be one of: %(choices)s.")
                % {"name": name, "choices": ", ".join(rule.choices)}
            )
        if rule.low is not None and rule.high is not None and not rule.low <= converted <= rule.high:
            raise InvalidInput(
                _("%(name)s must be between %(low)s and %(high)s.")
                % {"name": name, "low": rule.low, "high": rule.high}
            )
        checked[name] = converted
    return checked
