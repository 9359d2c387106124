"""Every documented status code of every carrier, as a table: code → event name, phase.

The expected rows live in `expected/<carrier>.py`; a change to a carrier's map must
change them too, which is the point: a reviewer sees the mapping as data.
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

import pytest

from parcelgraph.domain import catalogue
from parcelgraph.tracking.adapters import RawStatus
from parcelgraph.tracking.normalizer import normalize
from tests.tracking.carriers.cases import CASES

TABLES = [
    (case, importlib.import_module(f"tests.tracking.carriers.expected.{case.name}"))
    for case in CASES
]
ROWS = [
    pytest.param(case, code, event, phase, id=f"{case.name}:{code}")
    for case, expected in TABLES
    for code, event, phase in expected.ROWS
]
AT = datetime(2026, 10, 7, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(("case", "expected"), TABLES, ids=[c.name for c, _ in TABLES])
def test_the_map_holds_exactly_the_expected_codes(case, expected):
    table = case.adapter.status_map
    assert {code: event for code, event, _ in expected.ROWS} == dict(table)
    assert list(table.unmapped) == expected.UNMAPPED


@pytest.mark.parametrize(("case", "code", "event", "phase"), ROWS)
def test_each_code_normalizes_to_its_event_and_phase(case, code, event, phase):
    scan = normalize(
        RawStatus(code=code, message="carrier text", occurred_at=AT),
        adapter=case.name,
        status_map=case.adapter.status_map,
    )
    assert scan.event_name == event
    assert catalogue.get(scan.event_name).phase is phase
    assert scan.raw_code == code


@pytest.mark.parametrize(("case", "expected"), TABLES, ids=[c.name for c, _ in TABLES])
def test_unknown_and_unmappable_codes_stay_unmapped_with_raw_code_and_text(case, expected):
    for code in [*expected.UNMAPPED, "NEVER-DOCUMENTED-42"]:
        scan = normalize(
            RawStatus(code=code, message=f"text of {code}", occurred_at=AT),
            adapter=case.name,
            status_map=case.adapter.status_map,
        )
        assert (scan.event_name, scan.raw_code, scan.message) == (
            catalogue.UNMAPPED,
            code,
            f"text of {code}",
        )
        assert scan.data["unmapped"] is True
