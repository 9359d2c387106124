"""`parcelgraph serve` and `worker` freeze the start-up heap and raise the gen-0 threshold."""

import subprocess
import sys

from parcelgraph.gc_tuning import GEN0_THRESHOLD


def test_tune_for_serving_freezes_the_heap_and_raises_the_threshold() -> None:
    # given a fresh interpreter that imported the app (a child, so this process's collector
    # keeps its defaults)
    code = (
        "import gc; import parcelgraph.app; from parcelgraph.gc_tuning import tune_for_serving;"
        "tune_for_serving(); print(gc.get_freeze_count(), *gc.get_threshold())"
    )

    # when it tunes the collector
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    # then everything alive after start-up is frozen and generation 0 waits longer
    frozen, gen0, gen1, gen2 = (int(part) for part in out.stdout.split())
    assert frozen > 10_000
    assert (gen0, gen1, gen2) == (GEN0_THRESHOLD, 10, 10)
