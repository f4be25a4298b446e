"""The space-time permutation scan against SaTScan itself, on SaTScan's own sample data.

Data: the New York City fever example that SaTScan and the rsatscan R package ship
(`fixtures/nycfever/`, see its README for the source and licence): 194 cases in 192 ZIP codes,
2001/11/1–2001/11/24.

Published result: SaTScan v9.4.4's main results file of a prospective space-time permutation
analysis of these data with SaTScan's default windows (github.com/YalePublicHealthSurveillance/
Session-6-SATSCAN-space-time, `results/res1.txt`): study period 2001/11/1 to 2001/11/24,
prospective start 2001/11/24, time aggregation 1 day, maximum spatial cluster size 50 % of the
population at risk (for this model: of the cases), maximum temporal cluster size 50 % of the
study period (12 days), circular windows on the ZIP centroids (latitude/longitude), 999
replications (its sequential Monte Carlo stopped after 141). It reports three clusters:

1. 11418, 11415, 11419, 11435, 11416, 11421, 11451, 11375, 11417 around (40.699240 N,
   73.831760 W), radius 2.90 km, 2001/11/22–2001/11/24, 4 cases, 0.67 expected, O/E 5.97,
   test statistic 3.845418, p 0.355;
2. 11372, radius 0 km, 2001/11/24, 2 cases, 0.16 expected, O/E 12.13, 3.164201, p 0.709;
3. 10464, 10475, 10465, 10469, 10461, 10466, 10462, 10467, 11024, 10472, radius 6.98 km,
   2001/11/23–24, 5 cases, 1.66 expected, O/E 3.00, 2.192250, p 0.979.

Ours, with the same settings on the ZIP centroids projected to UTM 18N, reports the same three
clusters: locations in the same order, windows, counts, expectations and test statistics equal to
SaTScan's printed digits. The radii differ in the metres only (SaTScan measures great-circle
distances on its sphere, ours are UTM distances: 2,902 m against "2.90 km"). The p-values are
Monte Carlo estimates on both sides (SaTScan's from 141 replications, standard error ≈ 0.04):
they agree within that error, not digit for digit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cpis.analytics.stats.projection import LocalProjection
from cpis.analytics.stats.scan import ScanResult, space_time_permutation_scan

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "nycfever"
END_DAY = int(np.datetime64("2001-11-24", "D").astype(np.int64))
STUDY_DAYS = 24  # 2001/11/1 … 2001/11/24

SATSCAN_CLUSTERS = [
    {
        "zips": [11418, 11415, 11419, 11435, 11416, 11421, 11451, 11375, 11417],
        "radius_km": 2.90,
        "start": "2001-11-22",
        "observed": 4,
        "expected": 0.67,
        "ratio": 5.97,
        "llr": 3.845418,
        "p": 0.355,
    },
    {
        "zips": [11372],
        "radius_km": 0.0,
        "start": "2001-11-24",
        "observed": 2,
        "expected": 0.16,
        "ratio": 12.13,
        "llr": 3.164201,
        "p": 0.709,
    },
    {
        "zips": [10464, 10475, 10465, 10469, 10461, 10466, 10462, 10467, 11024, 10472],
        "radius_km": 6.98,
        "start": "2001-11-23",
        "observed": 5,
        "expected": 1.66,
        "ratio": 3.00,
        "llr": 2.192250,
        "p": 0.979,
    },
]


def nyc_fever() -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """ZIP centroids, their UTM coordinates, and one (location, day) row per case."""
    cases = pd.read_csv(FIXTURES / "NYCfevercas.csv")
    zips = pd.read_csv(FIXTURES / "NYCfevergeo.csv")
    x, y = LocalProjection.for_points(zips["long"], zips["lat"]).forward(zips["long"], zips["lat"])
    cases = cases.loc[cases.index.repeat(cases["cases"])]
    location = cases["zip"].map(pd.Series(np.arange(len(zips)), index=zips["zip"])).to_numpy()
    day = pd.to_datetime(cases["date"], format="%Y/%m/%d").to_numpy().astype("datetime64[D]").astype(np.int64)
    return zips, x, y, location, day


def scan(**limits: float) -> tuple[pd.DataFrame, ScanResult]:
    zips, x, y, location, day = nyc_fever()
    settings = {
        "max_window_days": 12,  # 50 % of the 24-day study period
        "max_radius": 1e7,  # no distance limit: only the 50 % of cases
        "max_spatial_fraction": 0.5,
        "min_cases": 2,  # SaTScan's "minimum cases in cluster for high rates"
        "replicates": 999,
        "seed": 2001,
        **limits,
    }
    return zips, space_time_permutation_scan(
        x, y, location, day, end_day=END_DAY, study_days=STUDY_DAYS, **settings
    )


def test_the_data_are_satscans_sample():
    zips, _, _, location, day = nyc_fever()
    assert (len(zips), location.size) == (192, 194)
    assert (day.min(), day.max()) == (END_DAY - STUDY_DAYS + 1, END_DAY)


def test_scan_reproduces_satscans_clusters_on_the_nyc_fever_data():
    zips, result = scan()
    assert result.total_cases == 194
    assert len(result.clusters) >= len(SATSCAN_CLUSTERS)
    for ours, satscan in zip(result.clusters, SATSCAN_CLUSTERS, strict=False):
        assert zips["zip"].to_numpy()[ours.locations].tolist() == satscan["zips"]
        assert round(ours.radius / 1000, 2) == pytest.approx(satscan["radius_km"], abs=0.011)
        assert str(np.datetime64(ours.start_day, "D")) == satscan["start"]
        assert str(np.datetime64(ours.end_day, "D")) == "2001-11-24"
        assert ours.observed == satscan["observed"]
        assert ours.expected == pytest.approx(satscan["expected"], abs=0.005)
        assert ours.observed_over_expected == pytest.approx(satscan["ratio"], abs=0.0051)
        assert round(ours.llr, 6) == satscan["llr"]
        # Monte Carlo p-values: SaTScan's from 141 replications (standard error ≈ 0.04)
        assert ours.p_value == pytest.approx(satscan["p"], abs=0.12)


def test_rsatscan_vignette_settings_find_the_same_most_likely_cluster():
    # rsatscan's vignette: maximum spatial size 3 km from the centre, maximum temporal size
    # 7 days, the rest as above; the cluster's 2.90 km radius fits, so it is still the most
    # likely one, and (as rsatscan's README reports) no cluster has p < 0.05.
    zips, result = scan(max_radius=3000.0, max_window_days=7)
    best = result.clusters[0]
    assert zips["zip"].to_numpy()[best.locations].tolist() == SATSCAN_CLUSTERS[0]["zips"]
    assert round(best.llr, 6) == SATSCAN_CLUSTERS[0]["llr"]
    assert all(cluster.p_value >= 0.05 for cluster in result.clusters)
