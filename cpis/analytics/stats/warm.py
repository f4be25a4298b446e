"""Warming the kernels: every compiled kernel run once on a few synthetic events,
so that numba's machine code (compiled once, then cached on disk by
`cache=True`) is loaded before the first analysis a person waits for. A web
worker does it in a background thread as it starts (`cpis.wsgi`); the first
analytics request of a process then no longer pays the load (0.5–3 s).

NumPy, SciPy and numba only, like the rest of `stats`: no settings, no database."""

import logging
import threading
import time
from datetime import date

import numpy as np

EVENTS = 200
logger = logging.getLogger(__name__)


def warm(seed: int = 0) -> float:
    """Run each kernel once on EVENTS synthetic events; the seconds it took. The
    kernels (and numba) are imported here, so that a worker importing this module
    to start the thread does not wait for them."""
    start = time.perf_counter()
    from .grid import Grid
    from .hotspots import gi_star, local_moran
    from .kde import kde_grid
    from .knox import knox_test
    from .scan import space_time_permutation_scan
    from .trends import compare_periods, cusum_alerts, ewma_alerts, weekly_bands, weekly_counts, yearly_trend

    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 2000.0, EVENTS)
    y = rng.uniform(0.0, 2000.0, EVENTS)
    first = 738_000  # a date ordinal (2021)
    days = rng.integers(first, first + 400, EVENTS)
    categories = rng.integers(0, 3, EVENTS)

    grid = Grid.covering(x, y, 250.0)
    counts = grid.bin(x, y)
    gi_star(counts, permutations=9, seed=seed)
    local_moran(counts, permutations=9, seed=seed)
    kde_grid(grid, x, y, bandwidth=250.0)
    kde_grid(grid, x, y, bandwidth=250.0, kernel="quartic")
    for metric in ("manhattan", "euclidean"):
        knox_test(
            x, y, days, space_edges=[100, 200], time_edges=[7, 14], metric=metric, permutations=9, seed=seed
        )

    last = int(days.max())
    weekly = weekly_counts(days, categories, 3, end_day=last, weeks=52)
    weekly_bands(weekly)
    ewma_alerts(weekly)
    cusum_alerts(weekly)
    compare_periods(days, categories, 3, today=date.fromordinal(last))
    yearly_trend(days, categories, first_year=2021, last_year=2022, n_groups=3)

    rows, cols = grid.cell_of(x, y)
    used, event_loc = np.unique(rows * grid.nx + cols, return_inverse=True)
    centre_x, centre_y = grid.centres()
    space_time_permutation_scan(
        centre_x[used % grid.nx],
        centre_y[used // grid.nx],
        event_loc,
        days,
        end_day=last,
        study_days=60,
        max_window_days=7,
        replicates=9,
    )
    return time.perf_counter() - start


def start() -> threading.Thread:
    """Warm the kernels in a daemon thread (a worker serves meanwhile; a first
    analysis that comes before the warm-up ends waits only for what is left).
    A failure is logged, never raised: warming is an optimisation."""

    def run() -> None:
        try:
            logger.info("Analytics kernels warmed in %.2f s", warm())
        except Exception:  # the worker must serve whatever happens here
            logger.exception("Warming the analytics kernels failed")

    thread = threading.Thread(target=run, name="warm-analytics", daemon=True)
    thread.start()
    return thread
