"""Prospective space-time permutation scan benchmark ST-1 (analytics anchors §5).

The last 365 days of Toronto Break and Enter to 31 December 2019 (8,282 incidents),
500 m cells holding at least one incident as locations (UTM 17N), circles up to 1 km and
50 % of the cases, windows of 1–30 days ending on 31 December, 999 Monte Carlo replicates:
`cpis.analytics.stats.scan.space_time_permutation_scan`, median of RUNS runs on the
machine's cores (numba's default thread count), plus one thread for reference.

Peer in the same run: the straightforward NumPy implementation (vectorised over centres ×
circle sizes × windows, no numba) from the scan's tests, on the observed data and the first
PEER_REPLICATES replicates (the very same shuffles, from `replicate_events`); its time for
999 replicates is EXTRAPOLATED from those (set-up + 1000 × time per data set). The observed
maximum LLR, the most likely cluster and the replicates' maxima must be equal.

No installable peer exists: SaTScan is desktop freeware (not on PyPI), and open_cp's
`stscan` (QuantCrimAtLeeds/PredictCode) is on GitHub only and has no Monte Carlo.

Peak memory: ours is run again in a child process that reports its peak RSS before and
after the scan (the data loading and imports come first).

Target: ≤ 60 s for 999 replicates on 2 cores.
"""

import importlib.metadata
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import numba
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpis.analytics.stats.scan import replicate_events, space_time_permutation_scan  # noqa: E402
from cpis.analytics.stats.tests.test_scan import numpy_reference_scan, toronto_break_and_enter  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PEER_REPLICATES = int(os.environ.get("BENCH_PEER_REPLICATES", "20"))
REPLICATES = 999
SEED = 2019
TARGET_S = 60.0
END = date(2019, 12, 31).toordinal()
OPTIONS: dict[str, Any] = {"end_day": END, "study_days": 365, "max_window_days": 30, "max_radius": 1000.0}


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "numba_threads": numba.get_num_threads(),
        "python": platform.python_version(),
        **{name: importlib.metadata.version(name) for name in ("numpy", "numba", "scipy", "pandas")},
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scan(data):
    return space_time_permutation_scan(*data, replicates=REPLICATES, seed=SEED, **OPTIONS)


def child_memory() -> None:
    """Run in a child process: print the peak RSS after loading and after one scan."""
    data = toronto_break_and_enter()
    loaded = peak_rss_mb()
    scan(data)
    print(json.dumps({"after_loading_mb": loaded, "after_scan_mb": peak_rss_mb()}))


def main() -> None:
    data = toronto_break_and_enter()
    loc_x, loc_y, locations, days = data

    start = time.perf_counter()
    scan(data)  # compiles the kernels, or loads them from numba's cache
    first_call = time.perf_counter() - start
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = scan(data)
        timings.append(time.perf_counter() - start)
    ours_s = statistics.median(timings)

    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    start = time.perf_counter()
    single = scan(data)
    one_thread_s = time.perf_counter() - start
    numba.set_num_threads(threads)
    assert np.array_equal(single.replicate_max_llr, result.replicate_max_llr)

    # Peer: observed data alone (set-up + one data set), then with PEER_REPLICATES replicates.
    start = time.perf_counter()
    (peer_max, (peer_best, peer_size, peer_window)), *_ = numpy_reference_scan(
        loc_x, loc_y, [(locations, days)], **OPTIONS
    )
    peer_one_s = time.perf_counter() - start
    replicate_sets = [
        replicate_events(locations, days, n_locations=len(loc_x), end_day=END, seed=SEED, replicate=r)
        for r in range(PEER_REPLICATES)
    ]
    start = time.perf_counter()
    peer_results = numpy_reference_scan(loc_x, loc_y, [(locations, days), *replicate_sets], **OPTIONS)
    peer_many_s = time.perf_counter() - start
    per_set_s = (peer_many_s - peer_one_s) / PEER_REPLICATES
    peer_extrapolated_s = peer_one_s + REPLICATES * per_set_s

    top = result.clusters[0]
    peer_maxima = np.array([maximum for maximum, _ in peer_results[1:]])
    assert abs(top.llr - peer_max) <= 1e-12 * peer_max
    assert int(np.argmax(peer_best)) == top.centre
    assert peer_size[top.centre] == len(top.locations)
    assert peer_window[top.centre] + 1 == top.days
    assert np.allclose(result.replicate_max_llr[:PEER_REPLICATES], peer_maxima, rtol=1e-12, atol=0)

    child = subprocess.run(
        [sys.executable, __file__, "--memory"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    memory = json.loads(child.stdout.strip().splitlines()[-1])

    clusters = [cluster.to_dict() for cluster in result.clusters[:5]]
    for cluster in clusters:
        cluster["start"] = date.fromordinal(cluster["start_day"]).isoformat()
        cluster["locations"] = len(cluster["locations"])
    summary = {
        "workload": "ST-1: prospective space-time permutation scan, Toronto Break and Enter, 365 days to "
        "2019-12-31, 500 m cells, radius ≤ 1 km, window ≤ 30 days, 999 replicates",
        "incidents": result.total_cases,
        "locations": len(loc_x),
        "replicates": REPLICATES,
        "runs": RUNS,
        "ours_s": ours_s,
        "ours_runs_s": timings,
        "ours_one_thread_s": one_thread_s,
        "ours_first_call_s": first_call,
        "peer": "NumPy reference (vectorised, no numba) from the scan's tests, same run",
        "peer_replicates_run": PEER_REPLICATES,
        "peer_setup_plus_one_set_s": peer_one_s,
        "peer_per_replicate_s": per_set_s,
        "peer_999_extrapolated_s": peer_extrapolated_s,
        "speed-up_vs_extrapolated_peer": peer_extrapolated_s / ours_s,
        "not_run": "SaTScan (desktop freeware, not on PyPI); open_cp stscan (GitHub only, no Monte Carlo)",
        "target_s": TARGET_S,
        "met": ours_s <= TARGET_S,
        "equal": {
            "observed_max_llr": top.llr,
            "peer_observed_max_llr": peer_max,
            "most_likely_cluster_equal": True,
            "replicate_maxima_equal": PEER_REPLICATES,
        },
        "peak_rss_mb": memory,
        "top_clusters": clusters,
        "machine": machine(),
    }
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "scan.json").write_text(json.dumps(summary, indent=2) + "\n")

    print(f"ST-1 on {result.total_cases:,} incidents at {len(loc_x):,} cells, {REPLICATES} replicates")
    print("| | seconds | vs target 60 s |")
    print("|---|---:|---:|")
    print(f"| ours, {threads} threads (median of {RUNS}) | {ours_s:.2f} | {100 * ours_s / TARGET_S:.1f} % |")
    print(f"| ours, 1 thread | {one_thread_s:.2f} | |")
    peer_label = f"peer: NumPy reference, EXTRAPOLATED from {PEER_REPLICATES} replicates"
    print(f"| {peer_label} | {peer_extrapolated_s:.1f} | |")
    print(f"First call (numba cache load or compile): {first_call:.2f} s")
    loaded, scanned = memory["after_loading_mb"], memory["after_scan_mb"]
    print(f"Peak RSS: {loaded:.0f} MB after loading, {scanned:.0f} MB after the scan")
    print(
        f"Most likely cluster: {top.observed} incidents against {top.expected:.1f} expected, "
        f"{len(top.locations)} cells within {top.radius:.0f} m, {top.days} days, LLR {top.llr:.3f}, "
        f"p = {top.p_value:.3f} (equal to the peer's)"
    )
    if not summary["met"]:
        print(f"MISSED: {ours_s:.1f} s against the {TARGET_S:.0f} s target")
        sys.exit(1)


if __name__ == "__main__":
    if "--memory" in sys.argv:
        child_memory()
    else:
        main()
