"""Garbage-collector settings for a long-running server process.

Requests free their objects by reference counting (the execution context leaves no cycle
behind, see `schema/common/execution.py`), so the cyclic collector has little to find. Left at
its defaults it still runs a generation-0 pass every 700 container allocations, and each
pass that promotes survivors eventually forces full collections that walk the whole heap:
the schema, the SQLAlchemy metadata and every imported module, tens of thousands of
objects that live as long as the process. `tune_for_serving` moves everything that exists
after start-up into the permanent generation (`gc.freeze`), so no collection walks it
again, and raises the generation-0 threshold so a large response does not trigger dozens
of passes while it is being built.
"""

import gc

GEN0_THRESHOLD = 50_000


def tune_for_serving(gen0_threshold: int = GEN0_THRESHOLD) -> None:
    """Freeze the start-up heap and raise the generation-0 threshold (call once, pre-serve)."""
    gc.collect()  # what is garbage now should be freed, not frozen
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(gen0_threshold, gen1, gen2)
