"""`cpis.analytics.stats` is a library: it imports and runs with NumPy, SciPy and numba alone.

Checked in a fresh interpreter with a clean environment (no DJANGO_SETTINGS_MODULE, nothing but
PATH, HOME and PYTHONPATH) in which importing Django, pandas or pyproj fails: every module but
`projection` is imported and each public function run on a small array; then pyproj is
allowed and `projection` is checked too. Also: every module declares `__all__`, and everything
it exports is documented.
"""

from __future__ import annotations

import importlib
import inspect
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
MODULES = ["grid", "hotspots", "kde", "knox", "projection", "replicates", "scan", "trends"]

SCRIPT = textwrap.dedent(
    """
    import importlib.abc, os, sys
    from datetime import date

    BLOCKED = {"django", "pandas", "pyproj"}

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{name} is not available to the library")
            return None

    sys.meta_path.insert(0, Block())
    assert "DJANGO_SETTINGS_MODULE" not in os.environ

    import numpy as np
    import cpis.analytics.stats
    from cpis.analytics.stats import grid, hotspots, kde, knox, replicates, scan, trends

    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 2000, 300), rng.uniform(0, 2000, 300)
    days = rng.integers(18000, 18365, 300)
    done = []

    g = grid.Grid.covering(x, y, 250.0)
    counts = g.bin(x, y)
    assert counts.sum() == 300 and grid.coordinates(x, y)[0].shape == (300,)
    assert grid.point_weights(np.ones(300), x).sum() == 300
    done += ["Grid", "coordinates", "point_weights"]

    gi = hotspots.gi_star(counts, permutations=19, seed=1)
    lm = hotspots.local_moran(counts, permutations=19, seed=1)
    q = hotspots.benjamini_hochberg(gi.p_sim.ravel())
    assert gi.z.shape == counts.shape and lm.p_sim.shape == counts.shape and q.size == counts.size
    done += ["gi_star", "local_moran", "benjamini_hochberg"]

    density = kde.kde_grid(g, x, y, bandwidth=200.0)
    assert density.shape == counts.shape and density.sum() > 0
    done += ["kde_grid"]

    result = knox.knox_test(x, y, days, space_edges=[100, 200], time_edges=[7, 14], permutations=19)
    assert result.observed.sum() == 300 * 299 // 2
    knox.near_repeat_alert(result)
    done += ["knox_test", "near_repeat_alert"]

    found = scan.space_time_permutation_scan(
        g.centres()[0][np.arange(10) % g.nx], g.centres()[1][np.arange(10) % g.ny],
        rng.integers(0, 10, 300), days, end_day=18364, study_days=365, replicates=19, max_radius=600)
    assert found.total_cases == 300
    scan.replicate_events(rng.integers(0, 10, 300), days, n_locations=10, end_day=18364)
    done += ["space_time_permutation_scan", "replicate_events"]

    weekly = trends.weekly_counts(days, None, end_day=18364, weeks=52)
    assert weekly.sum() == 300 - np.count_nonzero(days < 18364 - 52 * 7 + 1)
    trends.counts_by_period(days, start_day=18000, n_periods=12, period="month")
    trends.period_starts(18000, 7, 4)
    trends.poisson_z([5], [2]); trends.poisson_band([[3, 4, 5]])
    trends.weekly_bands(weekly); trends.ewma_alerts(weekly); trends.cusum_alerts(weekly)
    trends.compare_periods(days, None, today=date(2019, 12, 31))
    trends.same_date_years_earlier(date(2020, 2, 29))
    trends.yearly_trend(days, first_year=2019, last_year=2019)
    done += ["weekly_counts", "counts_by_period", "period_starts", "poisson_z", "poisson_band",
             "weekly_bands", "ewma_alerts", "cusum_alerts", "compare_periods",
             "same_date_years_earlier", "yearly_trend"]

    list(replicates.in_batches(4, 2, lambda a, b: np.arange(a, b), workers=1))
    replicates.mix64(np.uint64(1))
    done += ["in_batches", "mix64"]

    leaked = sorted(name for name in sys.modules if name.split(".")[0] in BLOCKED)
    assert not leaked, leaked

    BLOCKED.clear()  # projection is the one module that needs pyproj
    from cpis.analytics.stats import projection
    p = projection.LocalProjection.for_points([21.16], [42.66])
    assert projection.utm_epsg(21.16, 42.66) == p.epsg == 32634
    done += ["LocalProjection", "utm_epsg"]
    assert "django" not in sys.modules
    print(" ".join(done))
    """
)


def test_stats_import_and_run_without_django_pandas_or_pyproj():
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", ""), "PYTHONPATH": str(ROOT)}
    for keep in ("NUMBA_CACHE_DIR", "NUMBA_NUM_THREADS"):
        if keep in os.environ:
            env[keep] = os.environ[keep]
    completed = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=600, cwd=ROOT
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    ran = set(completed.stdout.split())
    exported = set()
    for name in MODULES:
        module = importlib.import_module(f"cpis.analytics.stats.{name}")
        exported |= {n for n in module.__all__ if callable(getattr(module, n)) and not n.isupper()}
    ran_or_result_types = ran | {
        n for n in exported if n.endswith(("Result", "Bands", "Series", "Risk", "Cell"))
    }
    ran_or_result_types |= {"Lattice", "PeriodComparison", "YearlyTrend", "ScanCluster"}
    assert exported <= ran_or_result_types, exported - ran_or_result_types


@pytest.mark.parametrize("name", MODULES)
def test_every_module_declares_and_documents_its_api(name):
    module = importlib.import_module(f"cpis.analytics.stats.{name}")
    assert module.__doc__ and len(module.__doc__) > 200
    assert isinstance(module.__all__, list) and module.__all__
    for export in module.__all__:
        value = getattr(module, export)
        if inspect.isfunction(value) or inspect.isclass(value):
            assert (value.__doc__ or "").strip(), f"{name}.{export} has no docstring"
