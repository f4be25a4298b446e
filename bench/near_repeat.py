"""Near-repeat (Knox test) benchmark: `.venv/bin/python bench/near_repeat.py`.

Workloads (docs: ../shared/reference/analytics-anchors.md §5):
  NR-1  Toronto break and enter 2014–2021 (54,562 events, all rows kept as the peers keep
        them), Manhattan, same location ≤ 0.5 m then 100 m bands to 500 m × 7-day bands to
        28 days, 999 permutations. Ours: wall time (median of RUNS fresh processes) and peak
        RSS of each process, and the memory it adds above the process's warm baseline (aim:
        ≤ 150 MB at 999 permutations). The best multi-band Python peer, Davies' NearRepeat
        (github.com/tobydavies/NearRepeat, MIT), is on no package registry: give the path of a
        checkout with `--davies DIR` and it is MEASURED in the same run, in its own virtual
        environment (DIR/.venv, created from DIR/requirements.txt on first use), at
        DAVIES_PERMUTATIONS permutations beside ours at the same number; its observed table
        must equal ours cell for cell (see `davies_bands` for how the bands are matched).
        Without `--davies` the run says so and quotes the anchors' figure instead.
  NR-4  the same events, one cell: 200 m / 7 days (Euclidean, ≤ both, as pointpats counts).
        Peer measured in the same run: pointpats.spacetime.Knox (PEER_PERMUTATIONS
        permutations) in its own process; its observed 2×2 table must equal ours.
  NR-2  Chicago burglary 2014 (12,334 events), NRC mode, 200 m × 1, 7 days × 1, 99
        permutations. The NRC's own 8 min 54 s is QUOTED from its summary file; pointpats on
        the same cell (≤ 200 m, ≤ 7 days) is measured in the same run.

Timings are noisy on this 2-core machine shared with other work: compare each figure with the
peer of the same run. Writes bench/results/near_repeat.json.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
PEER_RUNS = int(os.environ.get("BENCH_PEER_RUNS", "1"))
PEER_PERMUTATIONS = int(os.environ.get("BENCH_PEER_PERMUTATIONS", "19"))
DAVIES_PERMUTATIONS = int(os.environ.get("BENCH_DAVIES_PERMUTATIONS", "99"))
MEMORY_AIM_MB = 150.0  # NR-1, 999 permutations: peak RSS above the warm baseline
RESULTS = ROOT / "bench" / "results" / "near_repeat.json"
CHICAGO = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "validation"
    / "near-repeat"
    / "chicago_burglary_2014_2017.csv"
)

NR1_BANDS = {
    "space_edges": [100, 200, 300, 400, 500],
    "same_location_tolerance": 0.5,
    "time_edges": [7, 14, 21, 28],
    "metric": "manhattan",
}
NR4_BANDS = {"space_edges": [200], "time_edges": [7], "same_location": False, "metric": "euclidean"}
NR2_BANDS = {
    "space_bandwidth": 200,
    "space_bands": 1,
    "time_bandwidth": 7,
    "time_bands": 1,
    "metric": "euclidean",
    "mode": "nrc",
}
TARGETS = {
    "NR-1": {"seconds": 10.0, "peak_rss_mb": 500.0},
    "NR-4": {"seconds": 0.5},
    "NR-2": {"seconds": 0.2},
}
QUOTED = {
    "NR-1 tobydavies/NearRepeat knox_test, 99 permutations (anchors §1.4)": {
        "seconds": 81.5,
        "peak_rss_mb": 2900,
    },
    "NR-2 Near Repeat Calculator 1.3, 99 iterations (its summary file)": {"seconds": 8 * 60 + 54},
}
# Davies' observed table for NR-1 as quoted in the anchors (first two cells)
QUOTED_NR1_CELLS = {(0, 0): 6722, (0, 1): 2501}


# ---------------------------------------------------------------------------------------------
# Data


def toronto_burglary() -> dict[str, np.ndarray]:
    from cpis.analytics.stats.tests import toronto  # pandas: not in the measured workers

    x, y, days = toronto.subset("Break and Enter")
    return {"x": np.asarray(x), "y": np.asarray(y), "days": days}


def chicago(year: int) -> dict[str, np.ndarray]:
    import pandas as pd

    frame = pd.read_csv(CHICAGO)
    dates = pd.to_datetime(frame["date_single"], format="%d/%m/%Y")
    rows = dates.dt.year == year
    days = dates[rows].to_numpy().astype("datetime64[D]").astype(np.int64)
    return {"x": frame["x"][rows].to_numpy(), "y": frame["y"][rows].to_numpy(), "days": days}


# ---------------------------------------------------------------------------------------------
# Workers: one measurement in a fresh process, reported as JSON on stdout


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def reset_peak_rss() -> float:
    """Start a new peak-RSS window (Linux: writing 5 to /proc/self/clear_refs resets VmHWM) and
    return the current RSS in MB: the warm baseline. A warm-up that compiled kernels leaves a
    lifetime peak above what the measured call needs, which `ru_maxrss` alone would hide."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _proc_status_mb("VmRSS")


def window_peak_rss() -> float:
    """Peak RSS in MB since `reset_peak_rss` (VmHWM)."""
    return _proc_status_mb("VmHWM")


def _proc_status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds() -> float:
    """User + system CPU time of this process (all its threads): on a machine shared with other
    work it moves far less than wall time, so both are reported."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def worker(name: str, data_file: str) -> None:
    data = dict(np.load(data_file))
    x, y, days = data["x"], data["y"], data["days"]
    if name.startswith("ours"):
        from cpis.analytics.stats.knox import knox_test

        bands, permutations = {
            "ours-nr1": (NR1_BANDS, 999),
            "ours-nr1-99": (NR1_BANDS, 99),
            "ours-nr1-davies": (NR1_BANDS, DAVIES_PERMUTATIONS),
            "ours-nr4": (NR4_BANDS, 99),
            "ours-nr4-peer": (NR4_BANDS, PEER_PERMUTATIONS),
        }[name]
        # load the compiled kernels from numba's cache before the clock starts
        knox_test(x[:50], y[:50], days[:50], **bands, permutations=2)
        baseline = reset_peak_rss()
        cpu_start, start = cpu_seconds(), time.perf_counter()
        result = knox_test(x, y, days, **bands, permutations=permutations, seed=1)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
        observed, extra = (
            result.observed,
            {"ratio": np.round(result.ratio, 4).tolist(), "pairs": result.pairs_within},
        )
    else:
        from pointpats.spacetime import Knox

        delta, tau, permutations = {
            "pointpats-nr4": (200, 7, PEER_PERMUTATIONS),
            "pointpats-nr2": (200, 7, 99),
        }[name]
        np.random.seed(1)
        baseline = reset_peak_rss()
        cpu_start, start = cpu_seconds(), time.perf_counter()
        peer = Knox(np.column_stack((x, y)), days[:, None], delta=delta, tau=tau, permutations=permutations)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
        observed, extra = peer.observed.astype(np.int64), {"p_sim": peer.p_sim}
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "permutations": permutations,
                "peak_rss_mb": peak_rss_mb(),
                "run_peak_rss_mb": window_peak_rss(),
                "baseline_rss_mb": baseline,
                "observed": observed.tolist(),
                "n": int(x.size),
                **extra,
            }
        )
    )


def davies_bands() -> dict:
    """NR-1's bands in Davies' terms. His `knox_test` takes upper limits and, with
    ``interval_side="left"`` (his default: the *left* side open), counts [0, e₁], (e₁, e₂], …,
    (e_{k−1}, e_k] — `np.searchsorted(edges, d, "left")` — over pairs with d ≤ e_k (sklearn's
    radius graph keeps d = radius). Ours with ``same_location_tolerance=0.5`` and right-closed
    edges counts [0, 0.5], (0.5, 100], …, (400, 500] m and [0, 7], (7, 14], … (21, 28] days, so
    the two finite tables are the same cells; ours adds the "more than" row and column, which
    Davies does not count (he keeps only pairs inside the last band)."""
    return {
        "s_bands": [NR1_BANDS["same_location_tolerance"], *NR1_BANDS["space_edges"]],
        "t_bands": list(NR1_BANDS["time_edges"]),
        "metric": NR1_BANDS["metric"],
        "interval_side": "left",
    }


# Runs inside Davies' own virtual environment, with his checkout first on sys.path: the
# measured call is his `stats.knox.knox_test`, nothing of ours.
DAVIES_WORKER = """
import json, resource, sys, time
import numpy as np
checkout, data_file, permutations, bands = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
sys.path.insert(0, checkout)
from stats.knox import knox_test

def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def status(field):
    for line in open("/proc/self/status").read().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

data = dict(np.load(data_file))
xy, t = np.column_stack((data["x"], data["y"])), data["days"].astype(np.float64)
knox_test(xy[:50], t[:50], np.asarray(bands["s_bands"]), np.asarray(bands["t_bands"]), 2,
          metric=bands["metric"], interval_side=bands["interval_side"], seed=1)
try:
    open("/proc/self/clear_refs", "w").write("5")
except OSError:
    pass
baseline = status("VmRSS")
cpu_start, start = cpu(), time.perf_counter()
result = knox_test(xy, t, np.asarray(bands["s_bands"]), np.asarray(bands["t_bands"]), permutations,
                   metric=bands["metric"], interval_side=bands["interval_side"], seed=1)
seconds, cpu_used = time.perf_counter() - start, cpu() - cpu_start
print(json.dumps({
    "seconds": seconds, "cpu_seconds": cpu_used, "permutations": permutations,
    "peak_rss_mb": rss(), "run_peak_rss_mb": status("VmHWM"), "baseline_rss_mb": baseline,
    "observed": np.rint(result.conting_observed.to_numpy()).astype(int).tolist(),
    "ratio_mean": np.round(result.ratios_mean.to_numpy(), 4).tolist(),
    "p_values": np.round(result.p_values.to_numpy(), 4).tolist(),
    "n": int(t.size),
}))
"""


def davies_environment(checkout: Path) -> Path:
    """The Python of Davies' own virtual environment (checkout/.venv), created on first use
    with his requirements.txt installed from PyPI."""
    if not (checkout / "stats" / "knox.py").is_file():
        raise SystemExit(f"--davies {checkout}: not a checkout of tobydavies/NearRepeat (no stats/knox.py)")
    python = checkout / ".venv" / "bin" / "python"
    if not python.exists():
        print(f"Creating Davies' virtual environment in {checkout / '.venv'}…", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(checkout / ".venv")], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-r", str(checkout / "requirements.txt")],
            check=True,
        )
    return python


def measure_davies(checkout: Path, data_file: Path, permutations: int) -> dict:
    python = davies_environment(checkout)
    completed = subprocess.run(
        [
            str(python),
            "-c",
            DAVIES_WORKER,
            str(checkout),
            str(data_file),
            str(permutations),
            json.dumps(davies_bands()),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=checkout,
    )
    outcome = json.loads(completed.stdout.strip().splitlines()[-1])
    outcome["versions"] = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.metadata as m, json; "
            "print(json.dumps({p: m.version(p) for p in ('numpy', 'scipy', 'pandas', 'scikit-learn')}))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    commit = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    outcome["checkout"] = str(checkout)
    outcome["commit"] = commit.stdout.strip() or "unknown (not a git work tree)"
    return outcome


def measure(name: str, data_file: Path, runs: int) -> dict:
    """Run a worker `runs` times, each in a fresh process: median seconds, max peak RSS."""
    outcomes = []
    for _ in range(runs):
        completed = subprocess.run(
            [sys.executable, __file__, "--worker", name, str(data_file)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        outcomes.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    summary = dict(outcomes[-1])
    summary["runs"] = runs
    summary["seconds_each"] = [o["seconds"] for o in outcomes]
    summary["seconds"] = statistics.median(summary["seconds_each"])
    summary["peak_rss_mb"] = max(o["peak_rss_mb"] for o in outcomes)
    summary["run_peak_rss_mb"] = max(o["run_peak_rss_mb"] for o in outcomes)
    summary["baseline_rss_mb"] = min(o["baseline_rss_mb"] for o in outcomes)
    summary["added_rss_mb_each"] = [o["run_peak_rss_mb"] - o["baseline_rss_mb"] for o in outcomes]
    if all("cpu_seconds" in o for o in outcomes):
        summary["cpu_seconds"] = statistics.median(o["cpu_seconds"] for o in outcomes)
    return summary


# ---------------------------------------------------------------------------------------------
# Main


def machine() -> dict:
    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    versions = {p: importlib.metadata.version(p) for p in ("numpy", "scipy", "numba", "pointpats", "pandas")}
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), **versions}


def in_process_nr2(data: dict[str, np.ndarray]) -> dict:
    """NR-2 is small: median of max(RUNS, 5) runs in this process after a warm-up."""
    from cpis.analytics.stats.knox import knox_test

    knox_test(data["x"], data["y"], data["days"], **NR2_BANDS, permutations=2)
    timings, result = [], None
    for _ in range(max(RUNS, 5)):
        start = time.perf_counter()
        result = knox_test(data["x"], data["y"], data["days"], **NR2_BANDS, permutations=99, seed=1)
        timings.append(time.perf_counter() - start)
    assert result is not None
    return {
        "seconds": statistics.median(timings),
        "seconds_each": timings,
        "permutations": 99,
        "observed": result.observed.tolist(),
        "ratio": np.round(result.ratio, 4).tolist(),
        "labels": [list(result.space.labels), list(result.time.labels)],
    }


def main(davies_checkout: Path | None) -> None:
    load_before = os.getloadavg()
    if davies_checkout is None:
        print(
            "No Davies checkout given (--davies DIR): tobydavies/NearRepeat is NOT measured in this run; "
            "its NR-1 figure below is QUOTED from the anchors.",
            flush=True,
        )
    print("Loading Toronto break and enter 2014–2021 and Chicago burglary 2014…", flush=True)
    toronto = toronto_burglary()
    chicago_2014 = chicago(2014)
    with tempfile.TemporaryDirectory() as tmp:
        toronto_file, chicago_file = Path(tmp) / "toronto.npz", Path(tmp) / "chicago.npz"
        np.savez(toronto_file, **toronto)
        np.savez(chicago_file, **chicago_2014)
        print(f"NR-1 ours ({RUNS} processes, 999 permutations)…", flush=True)
        nr1 = measure("ours-nr1", toronto_file, RUNS)
        print(f"NR-4 ours ({RUNS} processes, 99 permutations)…", flush=True)
        nr4 = measure("ours-nr4", toronto_file, RUNS)
        print(
            f"NR-1 ours with 99 and NR-4 ours with {PEER_PERMUTATIONS} permutations, like the peers…",
            flush=True,
        )
        nr1_99 = measure("ours-nr1-99", toronto_file, RUNS)
        nr4_like_peer = measure("ours-nr4-peer", toronto_file, RUNS)
        print(
            f"NR-4 peer: pointpats Knox ({PEER_RUNS} process(es), {PEER_PERMUTATIONS} permutations)…",
            flush=True,
        )
        nr4_peer = measure("pointpats-nr4", toronto_file, PEER_RUNS)
        print("NR-2 ours (in process) and peer: pointpats Knox (99 permutations)…", flush=True)
        nr2 = in_process_nr2(chicago_2014)
        nr2_peer = measure("pointpats-nr2", chicago_file, PEER_RUNS)
        davies_measured = None
        nr1_like_davies = nr1 if DAVIES_PERMUTATIONS == 999 else nr1_99
        if davies_checkout is not None:
            print(
                f"NR-1 peer: Davies' NearRepeat knox_test ({DAVIES_PERMUTATIONS} permutations, "
                "its own virtual environment)…",
                flush=True,
            )
            davies_measured = measure_davies(davies_checkout, toronto_file, DAVIES_PERMUTATIONS)
            if DAVIES_PERMUTATIONS not in (99, 999):  # ours at the same number of permutations
                nr1_like_davies = measure("ours-nr1-davies", toronto_file, RUNS)

    nr4_equal = nr4["observed"] == nr4_peer["observed"]
    nr1_quoted_equal = all(nr1["observed"][s][t] == v for (s, t), v in QUOTED_NR1_CELLS.items())
    davies = QUOTED["NR-1 tobydavies/NearRepeat knox_test, 99 permutations (anchors §1.4)"]
    nr1_added_mb = max(nr1["added_rss_mb_each"])
    davies_equal = None
    if davies_measured is not None:
        rows_, cols_ = len(davies_measured["observed"]), len(davies_measured["observed"][0])
        ours_finite = [row[:cols_] for row in nr1["observed"][:rows_]]
        davies_equal = ours_finite == davies_measured["observed"]
    ours_same = nr1_like_davies
    nrc = QUOTED["NR-2 Near Repeat Calculator 1.3, 99 iterations (its summary file)"]

    nr4_peer_perms = nr4_peer["permutations"]
    if davies_measured is not None:
        dp = davies_measured["permutations"]
        davies_rows = [
            (
                f"NR-1 ours, {dp} perm, wall s",
                ours_same["seconds"],
                f"Davies {dp} perm (measured)",
                davies_measured["seconds"],
                "",
            ),
            (
                f"NR-1 ours, {dp} perm, CPU s (all threads)",
                ours_same.get("cpu_seconds", float("nan")),
                "Davies (measured, CPU s)",
                davies_measured["cpu_seconds"],
                "",
            ),
            (
                f"NR-1 ours, {dp} perm, peak RSS MB",
                ours_same["peak_rss_mb"],
                "Davies (measured)",
                davies_measured["peak_rss_mb"],
                "",
            ),
        ]
    else:
        davies_rows = [
            (
                "NR-1 ours, 99 perm, wall s",
                nr1_99["seconds"],
                "Davies 99 perm (QUOTED)",
                davies["seconds"],
                "",
            ),
            (
                "NR-1 ours, 99 perm, peak RSS MB",
                nr1_99["peak_rss_mb"],
                "Davies (QUOTED)",
                davies["peak_rss_mb"],
                "",
            ),
        ]
    rows = [
        ("NR-1 ours, 999 perm, wall s", nr1["seconds"], "", None, "≤ 10"),
        *davies_rows,
        ("NR-1 ours, 999 perm, peak RSS MB", nr1["peak_rss_mb"], "", None, "≤ 500"),
        ("NR-1 ours, 999 perm, MB above warm", nr1_added_mb, "", None, f"≤ {MEMORY_AIM_MB:.0f}"),
        ("NR-4 ours, 99 perm, wall s", nr4["seconds"], "", None, "≤ 0.5"),
        (
            f"NR-4 ours, {nr4_peer_perms} perm, wall s",
            nr4_like_peer["seconds"],
            f"pointpats {nr4_peer_perms} perm (measured)",
            nr4_peer["seconds"],
            "",
        ),
        (
            f"NR-4 ours, {nr4_peer_perms} perm, peak RSS MB",
            nr4_like_peer["peak_rss_mb"],
            "pointpats (measured)",
            nr4_peer["peak_rss_mb"],
            "",
        ),
        (
            "NR-2 ours, 99 perm, wall s",
            nr2["seconds"],
            "pointpats 99 perm (measured)",
            nr2_peer["seconds"],
            "≤ 0.2",
        ),
        ("NR-2 ours, 99 perm, wall s", nr2["seconds"], "NRC 1.3 99 it (quoted)", nrc["seconds"], "≤ 0.2"),
    ]
    print()
    print(f"{'workload':<40} {'ours':>10}   {'peer':<30} {'peer value':>10}   target")
    for label, ours, peer_name, peer, target in rows:
        peer_text = "" if peer is None else f"{peer:10.1f}"
        print(f"{label:<40} {ours:>10.3f}   {peer_name:<30} {peer_text:>10}   {target}")
    print()
    print(f"NR-1 observed table (pairs within 500 m: {nr1['pairs']:,}):")
    for line in nr1["observed"]:
        print("   ", line)
    print(
        f"NR-1 first cells equal the Davies table quoted in the anchors (6,722 / 2,501): {nr1_quoted_equal}"
    )
    if davies_measured is not None:
        print(
            f"NR-1 observed table equals Davies' (measured, {davies_measured['permutations']} permutations, "
            f"commit {davies_measured['commit']}) cell for cell on the finite 6×4 bands: {davies_equal}"
        )
    else:
        print("NR-1 Davies not measured: no checkout given (--davies DIR).")
    print(f"NR-4 observed 2×2 table equals pointpats: {nr4_equal}  {nr4['observed']}")
    print(f"NR-2 (NRC mode) observed table: {nr2['observed']}, Knox ratios {nr2['ratio']}")

    met = {
        "NR-1 seconds": nr1["seconds"] <= TARGETS["NR-1"]["seconds"],
        "NR-1 peak RSS": nr1["peak_rss_mb"] <= TARGETS["NR-1"]["peak_rss_mb"],
        f"NR-1 ≤ {MEMORY_AIM_MB:.0f} MB above warm baseline": nr1_added_mb <= MEMORY_AIM_MB,
        "NR-4 seconds": nr4["seconds"] <= TARGETS["NR-4"]["seconds"],
        "NR-2 seconds": nr2["seconds"] <= TARGETS["NR-2"]["seconds"],
        "NR-4 table equals pointpats": nr4_equal,
    }
    if davies_equal is not None:
        met["NR-1 table equals Davies"] = davies_equal
    print("Targets met:", ", ".join(f"{k}: {'yes' if v else 'NO'}" for k, v in met.items()))

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": machine(),
                "load_average_1_5_15_min": {"start": load_before, "end": os.getloadavg()},
                "note": (
                    "ours, pointpats and Davies measured in this run; the NRC figure is quoted"
                    if davies_measured is not None
                    else "ours and pointpats measured in this run; no Davies checkout given "
                    "(--davies DIR): Davies and NRC figures are quoted"
                ),
                "NR-1": {
                    "ours": nr1,
                    "ours_99": nr1_99,
                    "added_above_warm_mb": nr1_added_mb,
                    "memory_aim_mb": MEMORY_AIM_MB,
                    "davies": davies_measured,
                    "davies_bands": davies_bands(),
                    "observed_equal_davies": davies_equal,
                    "quoted_davies": None if davies_measured is not None else davies,
                    "target": TARGETS["NR-1"],
                },
                "NR-4": {
                    "ours": nr4,
                    "ours_like_peer": nr4_like_peer,
                    "pointpats": nr4_peer,
                    "observed_equal": nr4_equal,
                    "target": TARGETS["NR-4"],
                },
                "NR-2": {"ours": nr2, "pointpats": nr2_peer, "quoted_nrc": nrc, "target": TARGETS["NR-2"]},
                "targets_met": met,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"Wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=2, metavar=("NAME", "DATA"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--davies",
        type=Path,
        metavar="DIR",
        help="a checkout of github.com/tobydavies/NearRepeat, measured on NR-1 in its own venv",
    )
    arguments = parser.parse_args()
    if arguments.worker:
        worker(*arguments.worker)
    else:
        main(arguments.davies.resolve() if arguments.davies else None)
