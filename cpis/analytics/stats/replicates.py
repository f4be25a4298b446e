"""What the permutation tests share (Gi* and local Moran, Knox, the space-time scan): random
streams that depend only on the seed and the replicate, and replicates run on threads.

Streams: SplitMix64 (Steele, Lea & Flood 2014), counter-based. Each replicate (or cell) draws
from its own stream, derived from the seed and its number, so a result never depends on which
thread computed it, nor on how many threads there were.

Threads: the kernels are numba functions that release the GIL, run side by side on a pool of
numba's number of threads; plain threads compile far faster than a `parallel=True` loop.

`mix64` is inlined into the cached kernels that call it: numba's cache does not notice a change
here, so clear the `__pycache__` folders after editing it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numba
import numpy as np
from numpy.typing import NDArray

__all__ = ["GOLDEN", "MIX2", "in_batches", "mix64"]

#: SplitMix64's increment (the golden ratio) and its mixer's multipliers.
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)


@numba.njit(inline="always")
def mix64(z: np.uint64) -> np.uint64:
    """The SplitMix64 output function: a bijective avalanche of 64 bits."""
    z = (z ^ (z >> np.uint64(30))) * MIX1
    z = (z ^ (z >> np.uint64(27))) * MIX2
    return z ^ (z >> np.uint64(31))


def in_batches(
    count: int, batches: int, run: Callable[[int, int], NDArray[Any]], *, workers: int
) -> Iterator[tuple[slice, NDArray[Any]]]:
    """Replicates 0 … count − 1 in `batches` consecutive batches (the caller reports progress
    between them), each cut into one span per worker, the spans run side by side.

    `run(start, stop)` returns the results of replicates start … stop − 1 along its first axis.
    Yields, batch after batch, the slice of replicates done and their results in order.
    """
    bounds = np.linspace(0, count, batches + 1).astype(np.int64).tolist()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for start, stop in itertools.pairwise(bounds):
            cuts = np.linspace(start, stop, workers + 1).astype(np.int64).tolist()
            spans = [span for span in itertools.pairwise(cuts) if span[1] > span[0]] or [(start, stop)]
            yield slice(start, stop), np.concatenate(list(pool.map(lambda span: run(*span), spans)))
