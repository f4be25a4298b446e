"""Trend statistics benchmark TR-1 (docs/performance.md, analytics anchors §5).

Weekly counts for 5 major-crime categories × 140 Toronto neighbourhoods × 417 weeks (the
Toronto Police data 2014–2021, 239,935 incidents), then per group and week the Poisson z
against the previous 8 weeks, the 8-week Poisson band, and the EWMA and CUSUM alerts.

Ours: `cpis.analytics.stats.trends` from day numbers and category/neighbourhood codes.
Peer in the same run: the same computations in pandas as crime analysts write them after
Wheeler's crimepy (`crimepy/time.py`: groupby of week numbers, `rolling(8,
closed="left")`, the band formulas), with `ewm` for the EWMA and a loop over weeks for
the CUSUM with restart. Both start from the parsed data (dates as datetime64 or day
numbers, categories as codes): reading the CSV is not timed. Outputs must be equal:
counts exactly, the rest to 1e-9.

Target: ≤ 50 ms for ours, grouping included. Median of RUNS runs each.
"""

import importlib.metadata
import json
import os
import platform
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpis.analytics.stats import trends  # noqa: E402
from cpis.analytics.stats.tests import toronto  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TARGET_MS = 50.0
END = date(2021, 12, 31)
WEEKS = 417
N_PLACES = 140
CATEGORIES = 5


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        **{name: importlib.metadata.version(name) for name in ("numpy", "numba", "pandas")},
    }


def load_toronto() -> pd.DataFrame:
    """The 2014–2021 incidents: `date` (datetime64), `MCI` and `Neighbourhood` as categoricals,
    and for ours `day` (day numbers) and `category`/`place` codes."""
    data = toronto.study_period()  # ends on END
    data["MCI"] = data["MCI"].astype("category")
    data["Neighbourhood"] = data["Neighbourhood"].astype("category")
    return data


def ours(days: np.ndarray, category: np.ndarray, place: np.ndarray) -> dict:
    counts = trends.weekly_counts(
        days, category * N_PLACES + place, CATEGORIES * N_PLACES, end_day=END.toordinal(), weeks=WEEKS
    )
    bands = trends.weekly_bands(counts)
    ewma = trends.ewma_alerts(counts)
    cusum = trends.cusum_alerts(counts)
    return {
        "counts": counts,
        "z": bands.z,
        "lower": bands.lower,
        "upper": bands.upper,
        "ewma": ewma.statistic,
        "ewma_alarm": ewma.alarm,
        "cusum": cusum.statistic,
        "cusum_alarm": cusum.alarm,
    }


def pandas_reference(data: pd.DataFrame) -> dict:
    """The analyst's pandas: a weeks × (category, neighbourhood) table, rolling means, the
    crimepy band formulas, `ewm` and a loop for the CUSUM."""
    first = pd.Timestamp(END) - pd.Timedelta(days=7 * WEEKS - 1)
    week = (data["date"] - first).dt.days // 7
    recent = data[week >= 0]
    table = (
        recent.groupby(["MCI", "Neighbourhood", week[week >= 0].rename("week")], observed=False)
        .size()
        .unstack("week", fill_value=0)
        .reindex(columns=range(WEEKS), fill_value=0)
        .T
    )  # weeks × (category, neighbourhood), every combination present
    prior = table.rolling(8, closed="left").mean()
    root = np.sqrt(prior)
    lower = (root - 1.5).clip(lower=0) ** 2
    upper = (root + 1.5) ** 2
    z = 2 * (np.sqrt(table) - root)

    baseline = table.rolling(52, min_periods=8, closed="left").mean()
    residual = 2 * (np.sqrt(table) - np.sqrt(baseline))
    # The EWMA starts from 0 the week before the first baseline: put that 0 in and let
    # ewm(adjust=False) run from it.
    seeded = residual.copy()
    seeded.iloc[7] = 0.0
    ewma = seeded.ewm(alpha=0.2, adjust=False).mean()
    ewma.iloc[:8] = np.nan
    ewma_alarm = ewma > 3.0 * np.sqrt(0.2 / 1.8)

    values = residual.to_numpy()
    cusum = np.full(values.shape, np.nan)
    level = np.zeros(values.shape[1])
    for t in range(8, values.shape[0]):
        level = np.maximum(0.0, level + values[t] - 0.5)
        cusum[t] = level
        level = np.where(level > 4.0, 0.0, level)
    return {
        "counts": table.to_numpy().T,
        "z": z.to_numpy().T,
        "lower": lower.to_numpy().T,
        "upper": upper.to_numpy().T,
        "ewma": ewma.to_numpy().T,
        "ewma_alarm": ewma_alarm.to_numpy().T,
        "cusum": cusum.T,
        "cusum_alarm": (cusum > 4.0).T,
    }


def timed(function, *args) -> tuple[float, list[float], dict]:
    timings, result = [], {}
    for _ in range(RUNS):
        start = time.perf_counter()
        result = function(*args)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), timings, result


def compare(a: dict, b: dict) -> dict:
    """Largest difference per output; counts and alarms must match exactly."""
    differences: dict[str, float] = {}
    for name in a:
        x, y = np.asarray(a[name]), np.asarray(b[name])
        assert x.shape == y.shape, (name, x.shape, y.shape)
        if x.dtype == bool or name == "counts":
            differences[name] = int(np.count_nonzero(x != y))
            assert differences[name] == 0, name
        else:
            assert np.array_equal(np.isnan(x), np.isnan(y)), name
            differences[name] = float(np.nanmax(np.abs(x - y)))
            assert differences[name] <= 1e-9, (name, differences[name])
    return differences


def main() -> None:
    data = load_toronto()
    days, category, place = (data[column].to_numpy() for column in ("day", "category", "place"))

    start = time.perf_counter()
    ours(days, category, place)  # compiles (or loads from the cache) the numba kernels
    first_call = time.perf_counter() - start
    ours_s, ours_runs, mine = timed(ours, days, category, place)
    peer_s, peer_runs, theirs = timed(pandas_reference, data)
    differences = compare(mine, theirs)

    result = {
        "workload": "TR-1: weekly counts, Poisson z, 8-week bands, EWMA and CUSUM, 5 MCI × 140 "
        "neighbourhoods × 417 weeks, Toronto 2014–2021",
        "incidents": len(data),
        "groups": CATEGORIES * N_PLACES,
        "weeks": WEEKS,
        "runs": RUNS,
        "ours_ms": 1000 * ours_s,
        "ours_runs_ms": [1000 * t for t in ours_runs],
        "ours_first_call_ms": 1000 * first_call,
        "peer": "pandas groupby + rolling + ewm (crimepy formulas), same run",
        "peer_ms": 1000 * peer_s,
        "peer_runs_ms": [1000 * t for t in peer_runs],
        "speed-up": peer_s / ours_s,
        "target_ms": TARGET_MS,
        "met": 1000 * ours_s <= TARGET_MS,
        "max_differences": differences,
        "alarms": {
            "ewma": int(mine["ewma_alarm"].sum()),
            "cusum": int(mine["cusum_alarm"].sum()),
            "band_above": int(np.count_nonzero(mine["z"] > 3.0)),
        },
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "machine": machine(),
    }
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "trends.json").write_text(json.dumps(result, indent=2) + "\n")

    print(
        f"TR-1 on {len(data):,} incidents, {CATEGORIES * N_PLACES} groups × {WEEKS} weeks, median of {RUNS}"
    )
    print("| | ms | vs target 50 ms |")
    print("|---|---:|---:|")
    share = 100 * ours_s / (TARGET_MS / 1000)
    print(f"| ours (cpis.analytics.stats.trends) | {1000 * ours_s:.1f} | {share:.0f} % |")
    print(f"| peer: pandas (crimepy formulas) | {1000 * peer_s:.1f} | |")
    print(f"First call (numba cache load or compile): {1000 * first_call:.0f} ms")
    print(f"Speed-up over the peer: {peer_s / ours_s:.1f}×")
    print(f"Outputs equal: counts and alarms exact, floats within {max(differences.values()):.1e}")
    if not result["met"]:
        print(f"MISSED: {1000 * ours_s:.1f} ms against the {TARGET_MS:.0f} ms target")
        sys.exit(1)


if __name__ == "__main__":
    main()
