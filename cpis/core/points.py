"""Events as columns for numerical analysis: the one shape in which incidents
and concerns reach the analytics (hot spots, near repeats, trends, scans).

Six NumPy arrays of equal length, one entry per event; a selector fills them
straight from the database (no Python object per event)."""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Points:
    """Events as columns. Events without coordinates have NaN `lon` and `lat`:
    they count in trends, not on maps."""

    lon: NDArray[np.float64]  # degrees; NaN when the event has no point
    lat: NDArray[np.float64]  # degrees; NaN when the event has no point
    day: NDArray[np.int32]  # the local date, as date.toordinal()
    hour: NDArray[np.int8]  # the local hour, -1 when the time is unknown
    category: NDArray[np.int32]  # the category's id (of the event's app)
    sector: NDArray[np.int64]  # the sector Unit's id, -1 when in no sector

    @classmethod
    def empty(cls) -> "Points":
        return cls(
            lon=np.zeros(0, dtype=np.float64),
            lat=np.zeros(0, dtype=np.float64),
            day=np.zeros(0, dtype=np.int32),
            hour=np.zeros(0, dtype=np.int8),
            category=np.zeros(0, dtype=np.int32),
            sector=np.zeros(0, dtype=np.int64),
        )

    def __len__(self) -> int:
        return len(self.day)

    def where(self, mask: NDArray[np.bool_]) -> "Points":
        """The events where `mask` is true, in their order."""
        return Points(
            lon=self.lon[mask],
            lat=self.lat[mask],
            day=self.day[mask],
            hour=self.hour[mask],
            category=self.category[mask],
            sector=self.sector[mask],
        )

    def located(self) -> "Points":
        """The events with coordinates."""
        return self.where(np.isfinite(self.lon) & np.isfinite(self.lat))
