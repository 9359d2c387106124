"""End to end: upsertOrder with a UPS number → the poller asks a fake UPS (a real HTTP server
on 127.0.0.1, reached through carrier_base_urls) → catalogue events in order → signed
webhooks and subscription messages, each event exactly once."""

import copy
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer

import pytest

from parcelgraph.webhooks.signing import standard_digest
from parcelgraph.webhooks.worker import WebhookWorker
from tests.live_support import Live, next_data, subscribe
from tests.live_support import live_fixture as live  # noqa: F401 (the `live` fixture)
from tests.schema.orders.order_mutations import order as order_input
from tests.support import FrozenClock
from tests.tracking.carriers.fake_carrier import FIXTURES, FakeCarrier, running
from tests.tracking.support import KEY
from tests.webhooks.conftest import Receiver, ReceiverState, make_handler

NUMBER = "1Z023E2X0214323462"
TRACK_PATH = f"/api/track/v1/details/{NUMBER}"
UPSERT = "mutation($input: UpsertOrderInput!) { upsertOrder(input: $input) { errors { code } } }"
SET_CREDENTIALS = """mutation($input: SetCarrierCredentialsInput!) {
  setCarrierCredentials(input: $input) { credentials { hint } errors { code } } }"""
CREATE_WEBHOOK = """mutation($input: CreateWebhookInput!) {
  createWebhook(input: $input) { secret errors { code } } }"""
ORDER_EVENTS = """subscription($n: String) {
  orderEvents(orderNumber: $n, after: 0) { position sequence eventName simulated } }"""
TRACKING = """query { order(orderNumber: "1001") { shipments { phase tracking { state } } } }"""


@pytest.fixture
def clock() -> FrozenClock:
    # The day the documented UPS example starts (its scans are from 5 to 7 October).
    return FrozenClock(datetime(2026, 10, 5, 12, 0, tzinfo=UTC))


@pytest.fixture
def ups() -> Iterator[FakeCarrier]:
    with running() as fake:
        history = json.loads((FIXTURES / "ups" / "success.json").read_text())["routes"][0]
        label_only = copy.deepcopy(history)
        package = label_only["json"]["trackResponse"]["shipment"][0]["package"][0]
        package["activity"] = package["activity"][-1:]
        package.pop("deliveryInformation")
        # First the label scan alone, then the whole history on every later call.
        fake.load("ups", "token").add(**label_only).add(**history)
        yield fake


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = ReceiverState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Receiver(f"http://127.0.0.1:{server.server_address[1]}", state)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def settings_overrides(ups: FakeCarrier) -> dict[str, object]:
    return {"carrier_base_urls": {"ups": ups.url}, "carrier_credentials_keys": [KEY]}


def test_a_ups_parcel_is_tracked_from_label_to_delivery(live: Live, ups, receiver, clock):  # noqa: F811
    from parcelgraph.tracking.service import build_poller

    seeded = live.shop()
    auth = seeded.authorization
    # given UPS credentials, a webhook, and an order with a UPS tracking number
    creds = {"adapter": "ups", "clientId": "cid", "clientSecret": "csecret-9876"}
    assert live.graphql("acme", auth, SET_CREDENTIALS, {"input": creds}) == {
        "setCarrierCredentials": {"credentials": {"hint": "…9876"}, "errors": []}
    }
    # LEGACY: parcelgraph's envelope with the Karla-Signature this test checks
    hook_input = {"url": receiver.url("/ok"), "format": "LEGACY"}
    hook = live.graphql("acme", auth, CREATE_WEBHOOK, {"input": hook_input})["createWebhook"]
    tracking = {"trackingNumber": NUMBER, "carrierReference": "ups"}
    created = {"id": "1001", "order": order_input(), "trackings": [tracking]}
    live.graphql("acme", auth, UPSERT, {"input": created})
    poller = build_poller(live.app.state.settings, db=live.db, broker=live.broker, clock=clock)
    with live.socket("acme", {"Authorization": auth}) as ws:
        subscribe(ws, "1", ORDER_EVENTS, {"n": "1001"})
        streamed = [next_data(ws, "1")["orderEvents"]]
        # when the poller asks UPS: first the label, a day later the whole journey, then
        # once more the next day with nothing new
        first = live.run(poller.poll_once)
        streamed.append(next_data(ws, "1")["orderEvents"])
        clock.advance(days=1)
        second = live.run(poller.poll_once)
        streamed += [next_data(ws, "1")["orderEvents"] for _ in range(3)]
        clock.advance(hours=7)
        third = live.run(poller.poll_once)
        # a sentinel from the API: the next message after the journey must be this one
        live.graphql("acme", auth, UPSERT, {"input": {"id": "1001", "trackings": [
            {**tracking, "trackingUrl": "https://example.com/t/1"}]}})  # fmt: skip
        sentinel = next_data(ws, "1")["orderEvents"]
    assert [(r.asked, r.recorded) for r in (first, second, third)] == [(1, 1), (1, 3), (1, 0)]
    # then the events are stored once each, in order, and streamed once each
    stored = live.positions_of("1001")
    names = ["ORDER_FULFILLED", "LABEL_CREATED", "CARRIER_DELAY", "OUT_FOR_DELIVERY",
             "SUCCESSFULLY_DELIVERED"]  # fmt: skip
    assert [name for _, name in stored] == [*names, "INTERNAL_TRIGGER"]
    assert [(e["position"], e["eventName"]) for e in streamed] == stored[:5]
    assert [e["sequence"] for e in streamed] == [1, 2, 3, 4, 5]
    assert {e["simulated"] for e in streamed} == {False}
    assert sentinel["eventName"] == "INTERNAL_TRIGGER"
    assert live.graphql("acme", auth, TRACKING, {}) == {
        "order": {"shipments": [{"phase": "DELIVERED", "tracking": {"state": "ACTIVE"}}]}
    }
    # and every event reached the webhook once, signed with its secret
    worker = WebhookWorker(db=live.db, settings=live.app.state.settings, clock=clock)
    live.run(worker.drain)
    live.run(worker.aclose)
    received = receiver.state.received("/ok")
    bodies = sorted((json.loads(r.body) for r in received), key=lambda b: b["sequence"])
    assert [b["event_data"]["event_name"] for b in bodies] == [*names, "INTERNAL_TRIGGER"]
    assert len({b["id"] for b in bodies}) == len(bodies) == 6
    for request in received:
        headers = {k.lower(): v for k, v in request.headers.items()}
        msg_id, stamp = headers["webhook-id"], int(headers["webhook-timestamp"])
        digest = standard_digest(hook["secret"], msg_id, stamp, request.body)
        assert headers["webhook-signature"] == f"v1,{digest}"
    # UPS was asked for a token once and for the parcel three times
    assert (len(ups.requests_to("/security/v1/oauth/token")), len(ups.requests_to(TRACK_PATH))) \
        == (1, 3)  # fmt: skip
