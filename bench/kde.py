"""Kernel density benchmark: `.venv/bin/python bench/kde.py`.

Workload KD-1 (docs: ../shared/reference/analytics-anchors.md §2.3 and §5): the Toronto major
crime incidents 2014–2021 (239,935), Gaussian kernel with h = 250 m, on a 100 m grid covering
them with a 1 km margin. Every method is evaluated at the same points, the grid's cell centres:
* ours: `kde_grid` (cubic B-spline binning + FFT), median of RUNS;
* KDEpy 1.1.12 `FFTKDE(kernel="gaussian", bw=250).fit(X).evaluate(grid_points)` in metres, as the
  anchors ran it. KDEpy cuts its kernel where the density drops below an absolute 1e-4, which in
  metres is 2.35 bandwidths: it loses about 5 % of the mass;
* the same KDEpy call in kilometres (bw = 0.25), where the cut is at about 4 bandwidths: the fair
  accuracy comparison, same cost;
* KDEpy on its own automatic grid of the same size, `evaluate((nx, ny))`, for the anchors' timing;
* the exact kernel sum at every cell centre (numba, points within 9 h), itself checked against
  scikit-learn's exact `KernelDensity` (rtol=0) on 200 cells.
Errors are the maximum absolute difference over all cells divided by the exact peak. The quartic
kernel (h = 250 m, summed exactly) is timed as well, against the exact sum.

Timings are noisy on this 2-core machine shared with other work: compare each figure with the
peer of the same run. Writes bench/results/kde.json.
"""

from __future__ import annotations

import importlib.metadata
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numba
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpis.analytics.stats.grid import Grid  # noqa: E402
from cpis.analytics.stats.kde import kde_grid  # noqa: E402
from cpis.analytics.stats.tests.toronto import xy as toronto_xy  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
BANDWIDTH = 250.0
CELL = 100.0
MARGIN_CELLS = 10
ERROR_TARGET = 1e-3  # of the peak
RESULTS = ROOT / "bench" / "results" / "kde.json"


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    versions = {
        name: importlib.metadata.version(name)
        for name in ("numpy", "scipy", "numba", "KDEpy", "scikit-learn")
    }
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "numba_threads": numba.get_num_threads(),
        "python": platform.python_version(),
        **versions,
    }


def timed(function: Callable[[], Any], runs: int = RUNS) -> tuple[float, list[float], Any]:
    function()  # warm-up: numba compile, FFT plans
    timings, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), timings, result


@numba.njit(parallel=True, cache=True)
def exact_gaussian(
    x: np.ndarray, y: np.ndarray, xc: np.ndarray, yc: np.ndarray, h: float, reach: float
) -> np.ndarray:
    """Σ_p exp(−d²/2h²)/(2πh²) at every cell centre, over the points within `reach` in y and x
    (points sorted by y, one output row per parallel iteration)."""
    order = np.argsort(y)
    xs, ys = x[order], y[order]
    out = np.zeros((yc.size, xc.size))
    cell = xc[1] - xc[0]
    for i in numba.prange(yc.size):
        lo = np.searchsorted(ys, yc[i] - reach)
        hi = np.searchsorted(ys, yc[i] + reach)
        for p in range(lo, hi):
            dy = ys[p] - yc[i]
            ey = math.exp(-0.5 * dy * dy / (h * h))
            j0 = max(0, math.ceil((xs[p] - reach - xc[0]) / cell))
            j1 = min(xc.size - 1, math.floor((xs[p] + reach - xc[0]) / cell))
            for j in range(j0, j1 + 1):
                dx = xs[p] - xc[j]
                out[i, j] += ey * math.exp(-0.5 * dx * dx / (h * h))
    return out / (2 * math.pi * h * h)


@numba.njit(parallel=True, cache=True)
def exact_quartic(x: np.ndarray, y: np.ndarray, xc: np.ndarray, yc: np.ndarray, h: float) -> np.ndarray:
    order = np.argsort(y)
    xs, ys = x[order], y[order]
    out = np.zeros((yc.size, xc.size))
    cell = xc[1] - xc[0]
    for i in numba.prange(yc.size):
        lo = np.searchsorted(ys, yc[i] - h)
        hi = np.searchsorted(ys, yc[i] + h)
        for p in range(lo, hi):
            j0 = max(0, math.ceil((xs[p] - h - xc[0]) / cell))
            j1 = min(xc.size - 1, math.floor((xs[p] + h - xc[0]) / cell))
            for j in range(j0, j1 + 1):
                u = 1.0 - ((xs[p] - xc[j]) ** 2 + (ys[p] - yc[i]) ** 2) / (h * h)
                if u > 0:
                    out[i, j] += u * u
    return out * 3 / (math.pi * h * h)


def main() -> None:
    from KDEpy import FFTKDE
    from sklearn.neighbors import KernelDensity

    x, y = toronto_xy()
    grid = Grid.covering(x, y, CELL, pad=MARGIN_CELLS)
    xc, yc = grid.centres()
    points = np.stack(np.meshgrid(xc, yc, indexing="ij"), axis=-1).reshape(-1, 2)
    data = np.column_stack([x, y])
    print(f"KD-1: {x.size:,} points, Gaussian h = {BANDWIDTH:g} m, {grid.ny} × {grid.nx} grid of {CELL:g} m")

    start = time.perf_counter()
    exact = exact_gaussian(x, y, xc, yc, BANDWIDTH, 9 * BANDWIDTH)
    exact_seconds = time.perf_counter() - start
    peak = float(exact.max())
    rng = np.random.default_rng(0)
    sample = np.concatenate([np.argsort(exact.ravel())[-100:], rng.choice(exact.size, 100, replace=False)])
    rows, cols = np.unravel_index(sample, exact.shape)
    sklearn_kde = KernelDensity(bandwidth=BANDWIDTH, rtol=0.0).fit(data)
    sklearn = np.exp(sklearn_kde.score_samples(np.column_stack([xc[cols], yc[rows]]))) * x.size
    reference_check = float(np.abs(sklearn - exact[rows, cols]).max() / peak)
    print(
        f"  exact sum {exact_seconds:.1f} s; agrees with scikit-learn (exact) "
        f"to {reference_check:.1e} of the peak"
    )

    def error(surface: np.ndarray) -> float:
        return float(np.abs(surface - exact).max() / peak)

    ours_seconds, ours_timings, ours = timed(lambda: kde_grid(grid, x, y, bandwidth=BANDWIDTH))

    def kdepy(scale: float) -> np.ndarray:
        values = FFTKDE(kernel="gaussian", bw=BANDWIDTH / scale).fit(data / scale).evaluate(points / scale)
        return values.reshape(grid.nx, grid.ny).T * x.size / scale**2

    metres_seconds, metres_timings, metres = timed(lambda: kdepy(1.0))
    km_seconds, km_timings, km = timed(lambda: kdepy(1000.0))
    auto_seconds, auto_timings, _ = timed(
        lambda: FFTKDE(kernel="gaussian", bw=BANDWIDTH).fit(data).evaluate((grid.nx, grid.ny))
    )
    quartic_seconds, quartic_timings, quartic = timed(
        lambda: kde_grid(grid, x, y, bandwidth=BANDWIDTH, kernel="quartic")
    )
    quartic_exact = exact_quartic(x, y, xc, yc, BANDWIDTH)
    quartic_error = float(np.abs(quartic - quartic_exact).max() / quartic_exact.max())

    rows_out = [
        {
            "name": "ours: kde_grid (cubic B-spline binning + FFT)",
            "seconds": ours_seconds,
            "timings": ours_timings,
            "error_vs_exact_of_peak": error(ours),
            "difference_vs_kdepy_km_of_peak": float(np.abs(ours - km).max() / peak),
            "mass": float(ours.sum() * CELL**2),
        },
        {
            "name": "peer: KDEpy FFTKDE, metres, same grid points",
            "seconds": metres_seconds,
            "timings": metres_timings,
            "error_vs_exact_of_peak": error(metres),
            "mass": float(metres.sum() * CELL**2),
        },
        {
            "name": "peer: KDEpy FFTKDE, kilometres, same grid points",
            "seconds": km_seconds,
            "timings": km_timings,
            "error_vs_exact_of_peak": error(km),
            "mass": float(km.sum() * CELL**2),
        },
        {
            "name": "peer: KDEpy FFTKDE, metres, its own grid of the same size (anchors' command)",
            "seconds": auto_seconds,
            "timings": auto_timings,
        },
        {
            "name": "ours: kde_grid quartic (exact sum)",
            "seconds": quartic_seconds,
            "timings": quartic_timings,
            "error_vs_exact_of_peak": quartic_error,
        },
    ]
    report = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "runs": RUNS,
        "workload": {
            "name": "KD-1",
            "points": int(x.size),
            "bandwidth_m": BANDWIDTH,
            "cell_m": CELL,
            "grid": [grid.ny, grid.nx],
            "exact_peak_per_m2": peak,
            "exact_seconds": exact_seconds,
            "exact_vs_sklearn_of_peak": reference_check,
        },
        "targets": {"error_of_peak": ERROR_TARGET, "seconds": "no slower than KDEpy (anchors: ≤ 10 ms)"},
        "speedup_vs_kdepy_same_points": metres_seconds / ours_seconds,
        "speedup_vs_kdepy_own_grid": auto_seconds / ours_seconds,
        "results": rows_out,
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nMachine: {report['machine']}")
    print("| method | ms (median) | max error / peak (target ≤ 1e-3) | mass (events) |")
    print("|---|---:|---:|---:|")
    for row in rows_out:
        err = row.get("error_vs_exact_of_peak")
        mass = row.get("mass")
        print(
            f"| {row['name']} | {row['seconds'] * 1e3:.1f} | {'–' if err is None else f'{err:.1e}'} "
            f"| {'–' if mass is None else f'{mass:,.0f}'} |"
        )
    print(
        f"\nOurs vs KDEpy on the same points: {report['speedup_vs_kdepy_same_points']:.1f}× faster, "
        f"vs KDEpy on its own grid: {report['speedup_vs_kdepy_own_grid']:.1f}×. "
        f"Wrote {RESULTS.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
