"""Numerical kernels of the crime and concern analytics: plain NumPy/SciPy/numba on
arrays, no Django. Each module is checked against its public peer in its tests and
benchmarked against it in `bench/`.

Usable as a library outside CPIS (a notebook, a script): importing any module needs NumPy,
SciPy and numba only — no Django settings, no database — except `projection`, which needs
pyproj. The modules, each with its own `__all__` and references in its docstring:

* `knox` — `knox_test` (Knox test over space × time bands, exact expectation, permutation
  p-values, NRC mode) and `near_repeat_alert`;
* `hotspots` — `gi_star`, `local_moran`, `benjamini_hochberg` on a `grid.Grid`;
* `kde` — `kde_grid` (Gaussian and quartic kernel density);
* `grid` — `Grid` (binning points to square cells, cells as GeoJSON);
* `trends` — counts by period, `poisson_z`, `weekly_bands`, `ewma_alerts`, `cusum_alerts`,
  `compare_periods`, `yearly_trend`;
* `scan` — `space_time_permutation_scan` (Kulldorff's prospective space-time permutation scan);
* `projection` — `LocalProjection` (WGS 84 ⇄ UTM, pyproj);
* `replicates` — the random streams and threaded batches the permutation tests share.

Worked examples: docs/analysis-library.md (its code blocks run in the test suite).
"""
