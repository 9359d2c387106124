"""Migration 0002 marks the scans older versions invented for real parcels instead of
rewriting them, and makes tracked parcels due so the poller classifies them."""

import sqlite3
import uuid
from pathlib import Path

from parcelgraph.migrate import upgrade

NOW = "2026-11-23 12:00:00.000000"


def _ids(n: int) -> list[str]:
    return [uuid.uuid4().hex for _ in range(n)]


def test_invented_events_are_marked_simulated_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url, "0001")
    shop, order, moving, delivered, e1, e2, e3 = _ids(7)
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO shops (id, slug, name, currency, language, created_at) "
            "VALUES (?, 'acme', 'Acme', 'EUR', 'en', ?)",
            (shop, NOW),
        )
        db.execute(
            "INSERT INTO orders (id, shop_id, order_number, order_placed_at, currency, "
            "total_order_price, sub_total_price, shipping_price, discount_price, "
            "segments, expected_number_of_shipments, state, event_sequence, created_at, "
            "updated_at) VALUES (?, ?, '1001', ?, 'EUR', 0, 0, 0, 0, '[]', 2, "
            "'FULFILLED', 3, ?, ?)",
            (order, shop, NOW, NOW, NOW),
        )
        for sid, number, phase in (
            (moving, "1Z999AA10123456784", "in_transit"),
            (delivered, "00340434161094042557", "delivered"),
        ):
            db.execute(
                "INSERT INTO shipments (id, shop_id, order_id, position, tracking_number, "
                "carrier_reference, direction, phase, delayed, damaged, failed_attempts, "
                "poll_failures, created_at, updated_at) VALUES (?, ?, ?, 1, ?, 'ups', "
                "'MERCHANT_CUSTOMER', ?, 0, 0, 0, 0, ?, ?)",
                (sid, shop, order, number, phase, NOW, NOW),
            )
        for eid, seq, name, external in (
            (e1, 1, "ORDER_FULFILLED", None),
            (e2, 2, "LABEL_CREATED", "sandbox:abc"),
            (e3, 3, "PICKED_UP_BY_CARRIER", "sandbox:def"),
        ):
            db.execute(
                "INSERT INTO events (id, shop_id, order_id, shipment_id, sequence, source, "
                "ref, event_name, event_group, occurred_at, recorded_at, external_id, "
                "data) VALUES (?, ?, ?, ?, ?, 'shipments', 'r', ?, 'g', ?, ?, ?, '{}')",
                (eid, shop, order, moving, seq, name, NOW, NOW, external),
            )
    # when the database is upgraded
    upgrade(url)
    with sqlite3.connect(path) as db:
        events = db.execute(
            "SELECT event_name, external_id, simulated FROM events ORDER BY sequence"
        ).fetchall()
        shipments = db.execute(
            "SELECT phase, tracking_state, next_check_at IS NOT NULL FROM shipments ORDER BY phase"
        ).fetchall()
        sandbox = db.execute("SELECT sandbox FROM shops").fetchall()
    # then every event is still there, the invented ones marked
    assert events == [
        ("ORDER_FULFILLED", None, 0),
        ("LABEL_CREATED", "sandbox:abc", 1),
        ("PICKED_UP_BY_CARRIER", "sandbox:def", 1),
    ]
    # and the parcel on its way is due for classification, the delivered one is not polled
    assert shipments == [("delivered", "STOPPED", 0), ("in_transit", "ACTIVE", 1)]
    assert sandbox == [(0,)]
