"""The cyclic garbage collector paused while a bulk step makes many objects and no cycles."""

from __future__ import annotations

import gc
from contextlib import contextmanager

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block; back on after it if it was on.

    Rows, drafts, pairs and records hold no reference cycles, yet each allocation counts
    towards a collection that scans every object made so far: on 100,000 rows the passes
    cost as much as the work. A paused collector inside a paused one leaves it paused.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
