"""docs/carriers.md lists every mapped code of every shipped adapter, with its event."""

from __future__ import annotations

from pathlib import Path

import pytest

from parcelgraph.tracking.carriers import SPECS

DOC = (Path(__file__).parents[3] / "docs" / "carriers.md").read_text()


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_every_mapped_code_is_documented_with_its_event(spec):
    table = spec.build.status_map
    missing = [
        row.code
        for row in table.rows
        if f"| `{row.code}` | {row.meaning} | `{row.event}` |" not in DOC
    ]
    assert missing == []
    assert f"{len(table.rows)} codes mapped." in DOC
