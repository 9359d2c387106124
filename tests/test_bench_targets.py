# ruff: noqa: RUF001  (the multiplication sign is the ratio sign of the printed tables)
"""The benchmark's targets table, the peer's answer mapping and the PostgreSQL switch.

No benchmark runs here: these are the pure parts that decide what the suite prints.
"""

import base64

import pytest

from scripts.bench import peer, postgres, targets
from scripts.bench.report import Series, Table


def _table(workload: str, cand: list[float], base_name: str, base: list[float], **kw) -> Table:
    return Table(
        workload, "t", "pinned", Series("cand", "req/s", cand), [Series(base_name, "x", base)], **kw
    )


def _line(text: str, workload: str, target: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"| {workload} | {target} |"))


def test_ratio_targets_give_the_median_range_and_how_far_short() -> None:
    results: dict[str, Table | str] = {
        "Q1": _table("Q1", [100.0, 150.0, 300.0], "rest", [200.0, 200.0, 200.0]),
        "M1": _table("M1", [80.0], "rest write", [100.0]),
    }
    text = targets.render(results, ["Q1", "M1"])
    assert _line(text, "Q1", "≥ 1.0× rest (SQLite)") == (
        "| Q1 | ≥ 1.0× rest (SQLite) | 0.75× (0.50–1.50) | not met (1.3× short) |"
    )
    assert _line(text, "M1", "≥ 0.7× rest") == "| M1 | ≥ 0.7× rest | 0.80× (0.80–0.80) | **met** |"


def test_a_peer_that_could_not_run_gives_its_reason() -> None:
    table = _table(
        "Q1-PG",
        [30.0],
        "rest (PostgreSQL)",
        [300.0],
        notes=["PostGraphile 4 skipped: Node.js not found"],
    )
    text = targets.render({"Q1-PG": table}, ["Q1-PG"])
    assert _line(text, "Q1-PG", "≥ 0.5× PostGraphile 4 (PostgreSQL)") == (
        "| Q1-PG | ≥ 0.5× PostGraphile 4 (PostgreSQL) | PostGraphile 4 skipped: Node.js not "
        "found | — |"
    )
    assert _line(text, "Q1-PG", "≥ 1.0× rest (PostgreSQL)").endswith(
        "| 0.10× (0.10–0.10) | not met (10.0× short) |"
    )


def test_a_candidate_that_finished_nothing_says_so() -> None:
    text = targets.render({"Q2": _table("Q2", [0.0, 0.0], "rest", [50.0, 60.0])}, ["Q2"])
    assert _line(text, "Q2", "≥ 0.5× rest (SQLite)") == (
        "| Q2 | ≥ 0.5× rest (SQLite) | 0: nothing finished within a round (try longer "
        "--seconds) | not met |"
    )


def test_at_most_targets_and_metrics() -> None:
    r1 = _table("R1", [231.0], "RSS after 1,000 requests", [200.0], summary_note="after 100,000")
    s1 = _table("S1", [10.0], "bare Starlette WebSocket broadcast (1000)", [10.0])
    s1.candidate.metrics["p99 ms"] = 120.0
    text = targets.render({"R1": r1, "S1": s1}, ["R1", "S1"])
    assert _line(text, "R1", "RSS after 100k requests ≤ 1.10× RSS after 1k") == (
        "| R1 | RSS after 100k requests ≤ 1.10× RSS after 1k | 1.16× (1.16–1.16); "
        "after 100,000 | not met (1.1× short) |"
    )
    assert _line(text, "S1", "p99 event→client ≤ 50 ms") == (
        "| S1 | p99 event→client ≤ 50 ms | 120.0 ms | not met (2.4× short) |"
    )
    assert _line(text, "S1", "≥ 0.8× bare WebSocket broadcast").endswith(
        "| 1.00× (1.00–1.00) | **met** |"
    )


def test_every_target_has_a_line_even_when_skipped_or_not_run() -> None:
    results: dict[str, Table | str] = {"Q1-PG": "skipped: PostgreSQL not configured"}
    text = targets.render(results, ["Q1-PG", "W1"])
    lines = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(lines) == 1 + len(targets.TARGETS)  # the header, then one line per target
    assert _line(text, "Q1-PG", "≥ 0.5× PostGraphile 4 (PostgreSQL)") == (
        "| Q1-PG | ≥ 0.5× PostGraphile 4 (PostgreSQL) | skipped: PostgreSQL not configured | — |"
    )
    assert _line(text, "W1", "≥ 0.6× a bare client loop") == (
        "| W1 | ≥ 0.6× a bare client loop | no result | — |"
    )
    assert _line(text, "Q2", "≥ 0.5× rest (SQLite)") == (
        "| Q2 | ≥ 0.5× rest (SQLite) | not run (left out by --only) | — |"
    )


ORDER_ID = "0b7c5f64-2a3e-4d0b-9f1e-4c1f2a3b4c5d"
SHIPMENT_ID = "1c8d6a75-3b4f-4e1c-8a2f-5d2a3b4c5d6e"


def _gid(kind: str, raw: str) -> str:
    return base64.b64encode(f"{kind}:{raw}".encode()).decode()


# An order as PostGraphile answers Q1: its names, UUIDs, lower-case phase, BigInt amount.
POSTGRAPHILE_ANSWER = {
    "order": {
        "id": ORDER_ID,
        "orderNumber": "B0000001",
        "state": "IN_TRANSIT",
        "orderPlacedAt": "2025-01-01T01:00:00+01:00",
        "totalOrderPrice": "1234500",
        "currency": "EUR",
        "shipments": {
            "nodes": [
                {
                    "id": SHIPMENT_ID,
                    "trackingNumber": "1Z1",
                    "phase": "in_transit",
                    "trackingCompany": "UPS",
                    "events": {
                        "nodes": [
                            {
                                "eventName": "IN_TRANSIT",
                                "occurredAt": "2025-01-02T00:00:00.5+00:00",
                                "location": "Hub",
                                "sequence": 3,
                            }
                        ]
                    },
                    "products": {
                        "nodes": [
                            {
                                "sku": None,
                                "quantity": 2,
                                "lineItem": {"sku": "B", "title": "Second", "position": 1},
                            },
                            {
                                "sku": "A-override",
                                "quantity": 1,
                                "lineItem": {"sku": "A", "title": "First", "position": 0},
                            },
                        ]
                    },
                }
            ]
        },
    }
}


# The same order as parcelgraph answers it.
EXPECTED = {
    "order": {
        "id": _gid("Order", ORDER_ID),
        "orderNumber": "B0000001",
        "state": "IN_TRANSIT",
        "orderPlacedAt": "2025-01-01T00:00:00+00:00",
        "totalOrderPrice": "123.4500",
        "currency": "EUR",
        "shipments": [
            {
                "id": _gid("Shipment", SHIPMENT_ID),
                "trackingNumber": "1Z1",
                "phase": "IN_TRANSIT",
                "trackingCompany": "UPS",
                "events": [
                    {
                        "eventName": "IN_TRANSIT",
                        "occurredAt": "2025-01-02T00:00:00.500000+00:00",
                        "location": "Hub",
                        "sequence": 3,
                    }
                ],
                "products": [
                    {"sku": "A-override", "title": "First", "quantity": 1},
                    {"sku": "B", "title": "Second", "quantity": 2},
                ],
            }
        ],
    }
}


def test_postgraphile_answers_map_onto_parcelgraphs_fields_and_formats() -> None:
    assert peer.as_parcelgraph(POSTGRAPHILE_ANSWER) == EXPECTED
    assert peer.as_parcelgraph({"order": None}) == {"order": None}
    assert peer.as_parcelgraph({"orders": {"nodes": []}}) == {"orders": {"edges": []}}


def test_the_postgresql_rows_are_skipped_with_the_reason_until_a_url_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(postgres.URL_VARIABLE, raising=False)
    assert postgres.configured_url() is None
    assert postgres.skip_reason() == (
        "PostgreSQL not configured: set BENCH_POSTGRES_URL=postgresql://USER@HOST:PORT/DBNAME "
        "(a database the suite may drop and recreate)"
    )
    assert peer.skip_reason() == postgres.skip_reason()
    monkeypatch.setenv(postgres.URL_VARIABLE, "postgresql+asyncpg://u@h:5432/bench")
    assert postgres.configured_url() == "postgresql://u@h:5432/bench"
    assert postgres.skip_reason() is None
    copy = postgres.PgCopy("bench", "postgresql://u@h:5432/bench", "Basic x")
    assert copy.async_url == "postgresql+asyncpg://u@h:5432/bench"
    monkeypatch.setenv(postgres.URL_VARIABLE, "mysql://u@h/bench")
    with pytest.raises(ValueError, match="must be a postgresql:// URL"):
        postgres.configured_url()
