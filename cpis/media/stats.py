"""The net-tone index and its interval: plain arithmetic, no Django.

Each report is positive, neutral or negative. With p+ and p− the shares of
positive and negative reports among n, the net tone is p+ − p− (from −1, all
negative, to +1, all positive). Its variance under the multinomial model is
(p+ + p− − (p+ − p−)²) / n; the interval is the normal approximation
d ± z·√var, clipped to [−1, 1]. Each share has a Wilson score interval."""

import math
from dataclasses import dataclass

Z95 = 1.959964


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float


def wilson(successes: int, n: int, z: float = Z95) -> Interval | None:
    """The Wilson score interval of a share; None when n is 0."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def net_tone(positive: int, negative: int, n: int, z: float = Z95) -> Interval | None:
    """(positive − negative) / n with its normal-approximation interval; None when n is 0."""
    if n <= 0:
        return None
    if positive < 0 or negative < 0 or positive + negative > n:
        raise ValueError("counts must be non-negative and add up to at most n")
    plus, minus = positive / n, negative / n
    d = plus - minus
    variance = max(0.0, (plus + minus - d * d) / n)
    half = z * math.sqrt(variance)
    return Interval(d, max(-1.0, d - half), min(1.0, d + half))
