"""docs/carriers.md lists every mapped code of every shipped adapter, with its event."""

from __future__ import annotations

from pathlib import Path

import pytest

from parcelgraph.tracking.carriers import SPECS

DOC = (Path(__file__).parents[3] / "docs" / "carriers.md").read_text()


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_every_mapped_code_is_documented_with_its_event(spec):
    table = spec.build.status_map
    # A code is documented when a table line names it together with its event.
    lines = [line for line in DOC.splitlines() if line.startswith("|")]
    missing = [
        row.code
        for row in table.rows
        if not any(f"`{row.code}`" in line and f"`{row.event}`" in line for line in lines)
    ]
    assert missing == []
    assert f"{len(table.rows)} codes mapped." in DOC
