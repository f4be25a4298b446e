"""Python's cyclic garbage collector, paused for work that makes a great many
objects and no cycles: reading a wave of survey answers, importing a file of
incidents. The allocations would set off full collections again and again, each
walking every object in hand (it doubled the cost of decoding a survey wave and
tripled that of creating an import's points); reference counting still frees
everything as usual."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """The collector off for the block (as it was before, after)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
