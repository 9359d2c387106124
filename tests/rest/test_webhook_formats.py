"""Webhook formats on the wire.

KARLA deliveries are checked by a receiver written only from the documented scheme (the
`Karla-Signature: t=<unix>,v1=<hex>` header, HMAC-SHA256 keyed with the secret over
`"<t>.<raw body>"`, 300 s tolerance), running as a real HTTP server on 127.0.0.1 and
answering like the Shopware plugin (401 on a bad signature, 400 without `event_group`).
STANDARD deliveries are checked by the `standardwebhooks` library's own verifier.
"""

import hashlib
import hmac
import json
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook as StandardWebhook

from parcelgraph.migrate import upgrade
from tests.rest.support import Rest, sw_tracking, sw_upsert
from tests.schema.webhooks.fragments import create_webhook

TOLERANCE = 300
ENVELOPE_KEYS = {
    "source", "ref", "version", "triggered_at", "event_group", "event_data", "context",
    "shop_slug",
}  # fmt: skip
CONTEXT_KEYS = {"order", "customer", "shipments", "claims"}


@dataclass
class KarlaReceiver:
    """A v1 receiver: verifies every POST from the documented scheme alone."""

    secret: str = ""
    now: float = 0.0
    accepted: list[dict] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, header: str | None, body: bytes) -> tuple[int, str]:
        if not header:
            return 401, "no signature"
        parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
        stamps = [v for k, v in parts if k == "t"]
        given = [v for k, v in parts if k == "v1"]
        if len(stamps) != 1 or not given or not stamps[0].isdigit():
            return 401, "malformed signature"
        if abs(self.now - int(stamps[0])) > TOLERANCE:
            return 401, "stale timestamp"
        mac = hmac.new(self.secret.encode(), f"{stamps[0]}.".encode() + body, hashlib.sha256)
        if not any(hmac.compare_digest(mac.hexdigest(), v) for v in given):
            return 401, "bad signature"
        envelope = json.loads(body)
        if "event_group" not in envelope:
            return 400, "no event_group"
        with self.lock:
            self.accepted.append(envelope)
        return 200, '{"status":"success"}'


@pytest.fixture
def karla() -> Iterator[tuple[KarlaReceiver, str]]:
    state = KarlaReceiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, text = state.check(self.headers.get("Karla-Signature"), body)
            if status != 200:
                state.refused.append((status, text))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(text.encode())

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/karla"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


async def journey(rest: Rest) -> None:
    """Placement, fulfilment, a claim and its update: every kind of event."""
    await rest.ok("PUT", "/orders", json=sw_upsert("1"))
    tracking = sw_tracking("1Z999AA10123456784", "MUG", 3)
    placed = await rest.ok("PUT", "/orders", json=sw_upsert("1", order=False, trackings=[tracking]))
    claim = {"shipment_id": placed["trackings"][0]["id"], "reason": "support"}
    claim = {
        **claim,
        "resolution_preference": "refund",
        "selected_items": [{"sku": "MUG", "title": "Mug", "quantity": 1}],
    }
    made = await rest.ok("POST", "/claims", 201, json=claim)
    await rest.ok("PUT", f"/claims/{made['uuid']}", json={"status": "accepted"})


def lower_case_enums(envelope: dict) -> list[str]:
    data, context = envelope["event_data"], envelope["context"]
    values = [data.get(k) for k in ("phase", "direction", "reason", "status")]
    values += [data.get("resolution_preference")]
    values += [s["direction"] for s in context["shipments"]] + [
        s["phase"] for s in context["shipments"]
    ]
    values += [c[k] for c in context["claims"] for k in ("reason", "status")]
    return [v for v in values if isinstance(v, str) and v != v.lower()]


async def test_every_karla_delivery_verifies_with_the_documented_scheme(
    shop, editor, outbox, karla, clock
) -> None:
    receiver, url = karla
    created = await Rest.of(shop).ok("POST", "/webhooks", 201, json={"url": url})
    assert created["format"] == "karla"
    receiver.secret, receiver.now = created["secret"], clock().timestamp()

    await journey(Rest.of(editor))
    worker = outbox.worker()
    attempted = await worker.drain()
    await worker.aclose()

    assert receiver.refused == []
    assert attempted == len(receiver.accepted) == 5
    by_ref = {e["ref"]: e for e in receiver.accepted}  # sends run concurrently: any order
    assert sorted(e["ref"] for e in receiver.accepted) == [
        "claims/created",
        "claims/updated",
        "shipments/order_created/ORDER_CREATED",
        "shipments/order_created/ORDER_CREATED",
        "shipments/order_processed/ORDER_FULFILLED",
    ]
    for envelope in receiver.accepted:
        assert set(envelope) == ENVELOPE_KEYS
        assert set(envelope["context"]) == CONTEXT_KEYS
        assert lower_case_enums(envelope) == []
        assert isinstance(envelope["context"]["order"]["total_order_price"], float)
        assert envelope["event_data"]["event_id"]
    claimed = by_ref["claims/created"]["event_data"]
    assert (claimed["reason"], claimed["status"], claimed["resolution_preference"]) == (
        "support",
        "pending",
        "refund",
    )
    assert claimed["selected_items"] == [
        {"sku": "MUG", "title": "Mug", "quantity": 1, "image_urls": [], "net_price": None}
    ]
    assert by_ref["claims/updated"]["context"]["customer"] == {
        "external_id": None,
        "email": "ada@example.com",
        "first_name": "Ada",
        "last_name": "Lovelace",
    }


async def test_a_forged_or_stale_karla_delivery_is_refused_by_that_receiver(
    shop, editor, outbox, karla, clock
) -> None:
    receiver, url = karla
    created = await Rest.of(shop).ok("POST", "/webhooks", 201, json={"url": url})
    one_package = sw_upsert("1")
    one_package["order"]["expected_number_of_shipments"] = 1
    await Rest.of(editor).ok("PUT", "/orders", json=one_package)
    worker = outbox.worker()

    receiver.secret, receiver.now = "whsec_someone_else", clock().timestamp()
    await worker.run_once()
    clock.advance(days=1)  # the retry is due
    receiver.secret, receiver.now = created["secret"], clock().timestamp() + TOLERANCE + 1
    await worker.run_once()
    clock.advance(days=1)
    receiver.now = clock().timestamp()
    await worker.run_once()
    await worker.aclose()

    assert receiver.refused == [(401, "bad signature"), (401, "stale timestamp")]
    assert [e["ref"] for e in receiver.accepted] == ["shipments/order_created/ORDER_CREATED"]


async def test_every_standard_delivery_verifies_with_the_standardwebhooks_library(
    shop, editor, outbox, receiver, clock
) -> None:
    clock.current = datetime.now(UTC)  # the library checks timestamps against the real clock
    created = await create_webhook(shop, receiver.url("/std"), format="STANDARD")
    assert created["errors"] == []
    default = await shop.data(
        'mutation { createWebhook(input: {url: "https://h.example"}) { webhook { format } } }'
    )
    assert default["createWebhook"]["webhook"]["format"] == "STANDARD"

    await journey(Rest.of(editor))
    worker = outbox.worker()
    await worker.drain()
    await worker.aclose()

    requests = receiver.state.received("/std")
    assert len(requests) == 5
    verifier = StandardWebhook(created["secret"])
    for request in requests:
        envelope = verifier.verify(request.body, request.headers)
        assert envelope["id"] == request.headers["webhook-id"]
        assert "Karla-Signature" not in request.headers
    updated = [json.loads(r.body) for r in requests if b'"claims/updated"' in r.body]
    assert [u["event_data"]["status"] for u in updated] == ["ACCEPTED"]


async def test_format_is_chosen_per_webhook_and_can_change(shop) -> None:
    admin = Rest.of(shop)
    made = await admin.ok(
        "POST", "/webhooks", 201, json={"url": "https://a.example/h", "format": "standard"}
    )
    assert made["format"] == "standard" and made["secret"].startswith("whsec_")
    changed = await admin.ok("PATCH", f"/webhooks/{made['uuid']}", json={"format": "karla"})
    assert (changed["format"], changed["secret"]) == ("karla", None)
    listed = await admin.ok("GET", "/webhooks", params={"status": "active"})
    assert [(w["uuid"], w["format"]) for w in listed] == [(made["uuid"], "karla")]
    await admin.ok("DELETE", f"/webhooks/{made['uuid']}", 204)
    assert await admin.ok("GET", "/webhooks") == []


def test_existing_webhooks_keep_both_signatures_after_the_migration(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0002")
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute(
            "INSERT INTO shops (id, slug, name, currency, language, created_at) "
            "VALUES ('11111111111111111111111111111111', 'acme', 'Acme', 'EUR', 'en', '2026-01-01')"
        )
        conn.execute(
            "INSERT INTO webhooks (id, shop_id, url, enabled_events, status, secret, "
            "consecutive_failures, created_at, updated_at) VALUES ('2222222222222222222222222222"
            "2222', '11111111111111111111111111111111', 'https://x.example', '[\"*\"]', 'ACTIVE', "
            "'whsec_x', 0, '2026-01-01', '2026-01-01')"
        )
    upgrade(url)
    with sqlite3.connect(tmp_path / "old.db") as conn:
        assert conn.execute("SELECT format FROM webhooks").fetchall() == [("LEGACY",)]
