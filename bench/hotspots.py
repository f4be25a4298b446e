"""Hotspot statistics benchmark: `.venv/bin/python bench/hotspots.py [--skip-hs3-peer]`.

Workloads (docs: ../shared/reference/analytics-anchors.md §2.2 and §5), Gi* with the queen
3 × 3 window including the cell, binary weights, 999 permutations; the peer is esda 2.9.0
`G_Local(y, libpysal.weights.lat2W(ny, nx, rook=False), transform="B", star=True)`:
  HS-1  Toronto major crime 2014–2021 (239,935 incidents) on a 500 m grid (61 × 84 = 5,124 cells).
        esda: lat2W + G_Local, n_jobs=1, median of PEER_RUNS. Ours: binning + gi_star, median of
        RUNS, both after a warm-up (esda's numba compile, ~20 s, is not counted).
  HS-2  1,000,000 synthetic clustered points (200 Pareto-weighted Gaussian clusters plus 30 %
        uniform background over 50 × 50 km, seed 0) on a 500 m grid (10,000 cells).
  HS-3  the same points on a 100 m grid (250,000 cells); esda with n_jobs=2, run once (~35 s).
  HS-4  local Moran on the HS-1 grid: esda Moran_Local(y, lat2W(...), permutations=999) against
        our local_moran.
For each: times, speed-up, max |z_ours − z_esda| (analytic), agreement of the permutation
p-values (share of cells within 4 binomial standard errors, mean difference), and the number of
cells with p ≤ 0.001 (esda's directed p, float32 compared with a tolerance) over three seeds for
esda and for ours: esda's shared permutation table makes that count swing between seeds.

Timings are noisy on this 2-core machine shared with other work: compare each figure with the
peer of the same run. Writes bench/results/hotspots.json.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numba
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpis.analytics.stats.grid import Grid  # noqa: E402
from cpis.analytics.stats.hotspots import gi_star, local_moran  # noqa: E402
from cpis.analytics.stats.tests.toronto import xy as toronto_xy  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PEER_RUNS = int(os.environ.get("BENCH_PEER_RUNS", "3"))
PERMUTATIONS = 999
SEEDS = (1, 2, 3)
SPEEDUP_TARGET = 20.0
Z_TOLERANCE = 1e-12
RESULTS = ROOT / "bench" / "results" / "hotspots.json"

warnings.simplefilter("ignore")  # esda's DeprecationWarning about the default alternative


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    versions = {
        name: importlib.metadata.version(name) for name in ("numpy", "scipy", "numba", "esda", "libpysal")
    }
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "numba_threads": numba.get_num_threads(),
        "python": platform.python_version(),
        **versions,
    }


def timed(function: Callable[[], Any], runs: int) -> tuple[float, list[float], Any]:
    timings, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), timings, result


# ---------------------------------------------------------------------------------------------
# Data


def synthetic_points(
    n: int = 1_000_000, clusters: int = 200, background: float = 0.3, size: float = 50_000.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """`n` points over a `size` × `size` m square: a `background` share uniform, the rest in
    Gaussian clusters (σ 200–1,500 m) whose sizes follow Pareto weights; points falling outside
    the square are drawn again from their cluster."""
    rng = np.random.default_rng(seed)
    n_background = round(n * background)
    weights = rng.pareto(1.5, clusters) + 1.0
    members = rng.multinomial(n - n_background, weights / weights.sum())
    centres = rng.uniform(0.1 * size, 0.9 * size, (clusters, 2))
    spreads = rng.uniform(200.0, 1500.0, clusters)
    xs, ys = [rng.uniform(0, size, n_background)], [rng.uniform(0, size, n_background)]
    for count, (cx, cy), spread in zip(members, centres, spreads, strict=True):
        x, y = np.empty(0), np.empty(0)
        while x.size < count:
            px, py = rng.normal(cx, spread, count), rng.normal(cy, spread, count)
            inside = (px >= 0) & (px < size) & (py >= 0) & (py < size)
            x, y = np.concatenate([x, px[inside]]), np.concatenate([y, py[inside]])
        xs.append(x[:count])
        ys.append(y[:count])
    return np.concatenate(xs), np.concatenate(ys)


# ---------------------------------------------------------------------------------------------
# Comparisons


def esda_gi(counts: np.ndarray, seed: int, n_jobs: int) -> tuple[Any, float]:
    import esda
    import libpysal

    start = time.perf_counter()
    ny, nx = counts.shape
    w = libpysal.weights.lat2W(ny, nx, rook=False)
    result = esda.G_Local(
        counts.ravel().astype(float),
        w,
        transform="B",
        star=True,
        permutations=PERMUTATIONS,
        n_jobs=n_jobs,
        seed=seed,
        keep_simulations=False,
    )
    return result, time.perf_counter() - start


def esda_moran(counts: np.ndarray, seed: int) -> tuple[Any, float]:
    import esda
    import libpysal

    start = time.perf_counter()
    ny, nx = counts.shape
    w = libpysal.weights.lat2W(ny, nx, rook=False)
    result = esda.Moran_Local(
        counts.ravel().astype(float),
        w,
        permutations=PERMUTATIONS,
        n_jobs=1,
        seed=seed,
        keep_simulations=False,
    )
    return result, time.perf_counter() - start


def agreement(ours: np.ndarray, theirs: np.ndarray) -> dict[str, float]:
    p = (ours + theirs) / 2
    se = np.sqrt(2 * p * (1 - p) / PERMUTATIONS)
    within = np.abs(ours - theirs) <= 4 * se + 2 / PERMUTATIONS
    return {
        "share_within_4_se": float(within.mean()),
        "mean_difference": float((ours - theirs).mean()),
        "mean_abs_difference": float(np.abs(ours - theirs).mean()),
    }


def one_thread(function: Callable[[], Any], runs: int) -> tuple[float, list[float], Any]:
    """`timed` with numba (and so our kernels) limited to one thread, as esda with n_jobs=1."""
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        return timed(function, runs)
    finally:
        numba.set_num_threads(threads)


def significant(p: np.ndarray) -> int:
    return int((p <= 0.001 + 1e-6).sum())  # esda's p_sim is float32


def warm_up() -> None:
    """Compile esda's and our numba code once, outside the timings."""
    counts = np.random.default_rng(0).poisson(2, size=(20, 20))
    esda_gi(counts, 0, 1)
    esda_moran(counts, 0)
    gi_star(counts)
    local_moran(counts)


def hotspot_workload(
    name: str,
    description: str,
    grid: Grid,
    x: np.ndarray,
    y: np.ndarray,
    *,
    peer_runs: int,
    n_jobs: int,
    seeds: tuple[int, ...],
    target_seconds: float,
) -> dict[str, Any]:
    print(f"{name}: {description}", flush=True)
    counts = grid.bin(x, y)

    def ours_end_to_end() -> Any:
        return gi_star(grid.bin(x, y), permutations=PERMUTATIONS, seed=seeds[0])

    ours_seconds, ours_timings, ours = timed(ours_end_to_end, RUNS)
    one_thread_seconds, _, _ = one_thread(ours_end_to_end, RUNS if counts.size < 100_000 else 1)
    bin_seconds, _, _ = timed(lambda: grid.bin(x, y), RUNS)
    analytic_seconds, _, _ = timed(lambda: gi_star(counts, permutations=0), RUNS)
    peer_timings, peers = [], []
    for run in range(peer_runs):
        peer, seconds = esda_gi(counts, seeds[run % len(seeds)], n_jobs)
        peer_timings.append(seconds)
        peers.append(peer)
    peer_seconds = statistics.median(peer_timings)
    max_dz = float(np.nanmax(np.abs(ours.z.ravel() - peers[0].Zs)))
    ours_by_seed = [ours] + [gi_star(counts, permutations=PERMUTATIONS, seed=s) for s in seeds[1:]]
    peer_by_seed = peers  # one esda run per seed
    speedup = peer_seconds / ours_seconds
    row = {
        "name": name,
        "description": description,
        "cells": int(counts.size),
        "points": int(x.size),
        "permutations": PERMUTATIONS,
        "esda_seconds": peer_seconds,
        "esda_timings": peer_timings,
        "esda_n_jobs": n_jobs,
        "ours_seconds": ours_seconds,
        "ours_timings": ours_timings,
        "ours_one_thread_seconds": one_thread_seconds,
        "speedup_one_thread": peer_seconds / one_thread_seconds,
        "ours_binning_seconds": bin_seconds,
        "ours_analytic_seconds": analytic_seconds,
        "speedup": speedup,
        "speedup_target": SPEEDUP_TARGET,
        "target_seconds": target_seconds,
        "max_abs_z_difference": max_dz,
        "z_tolerance": Z_TOLERANCE,
        "p_sim_directed_vs_esda": agreement(ours.p_sim_directed.ravel(), peers[0].p_sim.astype(float)),
        "cells_p_le_0.001_esda_by_seed": [significant(p.p_sim) for p in peer_by_seed],
        "cells_p_le_0.001_ours_by_seed": [significant(r.p_sim_directed) for r in ours_by_seed],
        "seeds": list(seeds),
    }
    print(
        f"  esda {peer_seconds:.3f} s, ours {ours_seconds * 1e3:.1f} ms "
        f"(binning {bin_seconds * 1e3:.1f} ms, analytic {analytic_seconds * 1e3:.1f} ms; "
        f"one thread {one_thread_seconds * 1e3:.1f} ms): {speedup:.1f}×, max |Δz| {max_dz:.1e}",
        flush=True,
    )
    return row


def moran_workload(grid: Grid, x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    description = "local Moran's I on the HS-1 grid (esda Moran_Local, row-standardised queen weights)"
    print(f"HS-4: {description}", flush=True)
    counts = grid.bin(x, y)

    def ours_end_to_end() -> Any:
        return local_moran(grid.bin(x, y), permutations=PERMUTATIONS, seed=SEEDS[0])

    ours_seconds, ours_timings, ours = timed(ours_end_to_end, RUNS)
    one_thread_seconds, _, _ = one_thread(ours_end_to_end, RUNS)
    peers = [esda_moran(counts, seed) for seed in SEEDS[:PEER_RUNS]]
    peer_seconds = statistics.median(seconds for _, seconds in peers)
    ours_by_seed = [ours] + [local_moran(counts, permutations=PERMUTATIONS, seed=s) for s in SEEDS[1:]]
    peer_by_seed = [peer for peer, _ in peers] + [esda_moran(counts, s)[0] for s in SEEDS[len(peers) :]]
    first = peers[0][0]
    row = {
        "name": "HS-4",
        "description": description,
        "cells": int(counts.size),
        "permutations": PERMUTATIONS,
        "esda_seconds": peer_seconds,
        "esda_timings": [seconds for _, seconds in peers],
        "ours_seconds": ours_seconds,
        "ours_timings": ours_timings,
        "ours_one_thread_seconds": one_thread_seconds,
        "speedup_one_thread": peer_seconds / one_thread_seconds,
        "speedup": peer_seconds / ours_seconds,
        "speedup_target": SPEEDUP_TARGET,
        "max_abs_I_difference": float(np.abs(ours.I.ravel() - first.Is).max()),
        "quadrants_equal": bool((ours.quadrant.ravel() == first.q).all()),
        "p_sim_directed_vs_esda": agreement(ours.p_sim_directed.ravel(), first.p_sim.astype(float)),
        "cells_p_le_0.001_esda_by_seed": [significant(p.p_sim) for p in peer_by_seed],
        "cells_p_le_0.001_ours_by_seed": [significant(r.p_sim_directed) for r in ours_by_seed],
        "seeds": list(SEEDS),
    }
    print(f"  esda {peer_seconds:.3f} s, ours {ours_seconds * 1e3:.1f} ms: {row['speedup']:.1f}×", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-hs3-peer", action="store_true", help="do not run esda on HS-3 (~40 s)")
    args = parser.parse_args()

    print("Warming up (esda's numba compile) …", flush=True)
    warm_up()
    tx, ty = toronto_xy()
    toronto_grid = Grid.covering(tx, ty, 500.0)
    sx, sy = synthetic_points()
    rows = [
        hotspot_workload(
            "HS-1",
            "Toronto MCI 2014–2021, 239,935 incidents → 500 m grid, Gi*, 999 permutations",
            toronto_grid,
            tx,
            ty,
            peer_runs=PEER_RUNS,
            n_jobs=1,
            seeds=SEEDS,
            target_seconds=0.030,
        ),
        hotspot_workload(
            "HS-2",
            "1,000,000 synthetic clustered points → 500 m grid (10,000 cells), Gi*, 999 permutations",
            Grid(0.0, 0.0, 500.0, 100, 100),
            sx,
            sy,
            peer_runs=PEER_RUNS,
            n_jobs=1,
            seeds=SEEDS,
            target_seconds=0.050,
        ),
    ]
    if args.skip_hs3_peer:
        print("HS-3: esda skipped (--skip-hs3-peer)")
    else:
        rows.append(
            hotspot_workload(
                "HS-3",
                "1,000,000 synthetic clustered points → 100 m grid (250,000 cells), Gi*, 999 permutations",
                Grid(0.0, 0.0, 100.0, 500, 500),
                sx,
                sy,
                peer_runs=1,
                n_jobs=2,
                seeds=SEEDS,
                target_seconds=1.0,
            )
        )
    rows.append(moran_workload(toronto_grid, tx, ty))

    report = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "runs": RUNS, "results": rows}
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")

    print(f"\nMachine: {report['machine']}")
    print(
        "| workload | cells | esda (s) | ours (s) | speed-up (target ≥ 20×) | ours 1 thread (s) | speed-up "
        "| ours target (s) | max abs dz | p within 4 SE | mean dp | p ≤ 0.001 esda, 3 seeds | ours, 3 seeds |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for row in rows:
        dz = row.get("max_abs_z_difference", row.get("max_abs_I_difference"))
        p = row["p_sim_directed_vs_esda"]
        print(
            f"| {row['name']} | {row['cells']:,} | {row['esda_seconds']:.3f} | {row['ours_seconds']:.4f} "
            f"| {row['speedup']:.1f}× | {row['ours_one_thread_seconds']:.4f} "
            f"| {row['speedup_one_thread']:.1f}× "
            f"| {row.get('target_seconds', float('nan')):.3f} | {dz:.1e} "
            f"| {p['share_within_4_se']:.4f} | {p['mean_difference']:+.4f} "
            f"| {row['cells_p_le_0.001_esda_by_seed']} | {row['cells_p_le_0.001_ours_by_seed']} |"
        )
    print(f"\nWrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
