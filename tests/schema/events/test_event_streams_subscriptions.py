"""shipmentEvents, events and orderUpdated over a real WebSocket; SSE; the Origin check."""

import json

import pytest

from tests.live_support import (
    Live,
    live_fixture,  # noqa: F401 (the `live` fixture)
    next_data,
    positions,
    receive,
    shipment_gid,
    subscribe,
)

SHIPMENT_EVENTS = """
subscription($id: ID, $tracking: String, $after: Int) {
  shipmentEvents(shipmentId: $id, trackingNumber: $tracking, after: $after) {
    position eventName shipment { trackingNumber }
  }
}"""
EVENTS = """
subscription($filter: EventStreamFilter, $after: Int) {
  events(filter: $filter, after: $after) { position eventName }
}"""
ORDER_UPDATED = """
subscription { orderUpdated(orderNumber: "1001") { orderNumber trackings { trackingNumber } } }
"""


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"allowed_origins": ["https://shop.example"]}


def test_shipment_events_carry_only_that_shipments_events(live: Live) -> None:
    seeded = live.shop()
    order = live.order(seeded.shop, "1001", tracking="TRACK1")
    shipment = live.shipment_of(order)
    live.append(seeded.shop, order, "ORDER_NOTE")  # no shipment
    mine = live.append(seeded.shop, order, "HUB", shipment_id=shipment.id)
    with live.socket("acme", {"Authorization": seeded.authorization}) as ws:
        subscribe(ws, "1", SHIPMENT_EVENTS, {"tracking": "TRACK1", "after": 0})
        replayed = next_data(ws, "1")["shipmentEvents"]
        subscribe(ws, "2", SHIPMENT_EVENTS, {"id": shipment_gid(shipment.id), "after": mine[0]})
        live.append(seeded.shop, order, "ORDER_NOTE_2")
        [later] = live.append(seeded.shop, order, "OUT", shipment_id=shipment.id)
        live_events = [receive(ws) for _ in range(2)]

    assert replayed == {
        "position": mine[0],
        "eventName": "HUB",
        "shipment": {"trackingNumber": "TRACK1"},
    }
    assert sorted(
        (m["id"], m["payload"]["data"]["shipmentEvents"]["position"]) for m in live_events
    ) == [
        ("1", later),
        ("2", later),
    ]


def test_a_token_cannot_follow_a_shipment_of_another_order(live: Live) -> None:
    seeded = live.shop()
    mine = live.order(seeded.shop, "1001", tracking="MINE")
    live.order(seeded.shop, "2002", tracking="THEIRS")
    token = live.token(mine)
    with live.socket("acme", {"token": token}) as ws:
        subscribe(ws, "1", SHIPMENT_EVENTS, {"tracking": "THEIRS"})
        message = receive(ws)
    assert message["payload"]["errors"][0]["extensions"] == {"code": "NOT_FOUND"}


def test_the_shop_wide_stream_filters_and_resumes(live: Live) -> None:
    seeded = live.shop()
    first = live.order(seeded.shop, "1001")
    second = live.order(seeded.shop, "2002")
    a = live.append(seeded.shop, first, "A")
    b = live.append(seeded.shop, second, "B")
    with live.socket("acme", {"Authorization": seeded.authorization}) as ws:
        subscribe(ws, "all", EVENTS, {"after": 0})
        subscribe(ws, "group", EVENTS, {"filter": {"eventGroup": "shipment_delivered"}, "after": 0})
        replayed = positions(ws, "all", "events", 2)
        c = live.append(seeded.shop, first, "C")
        following = next_data(ws, "all")["events"]["position"]
    assert replayed == a + b
    assert [following] == c


def test_order_tokens_may_not_open_the_shop_wide_stream(live: Live) -> None:
    seeded = live.shop()
    token = live.token(live.order(seeded.shop, "1001"))
    with live.socket("acme", {"token": token}) as ws:
        subscribe(ws, "1", EVENTS, {})
        message = receive(ws)
    # Refused before the stream starts: a graphql-transport-ws `error` message.
    assert message["type"] == "error"
    assert [e["extensions"] for e in message["payload"]] == [{"code": "FORBIDDEN"}]


def test_order_updated_sends_a_snapshot_now_and_after_each_change(live: Live) -> None:
    seeded = live.shop()
    order = live.order(seeded.shop, "1001", tracking="TRACK1")
    token = live.token(order)
    with live.socket("acme", {"token": token}) as ws:
        subscribe(ws, "1", ORDER_UPDATED)
        now = next_data(ws, "1")["orderUpdated"]
        live.append(seeded.shop, order, "A", "B")
        after_change = next_data(ws, "1")["orderUpdated"]
    expected = {"orderNumber": "1001", "trackings": [{"trackingNumber": "TRACK1"}]}
    assert now == expected
    assert after_change == expected


def test_sse_streams_events_with_an_authorization_header(live: Live) -> None:
    seeded = live.shop()
    order = live.order(seeded.shop, "1001")
    stored = live.append(seeded.shop, order, "A", "B")
    body = {"query": 'subscription { orderEvents(orderNumber: "1001", after: 0) { position } }'}
    headers = {"Authorization": seeded.authorization, "Accept": "text/event-stream"}
    got: list[int] = []
    with live.client.stream(
        "POST", "/v1/shops/acme/graphql", json=body, headers=headers
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data: ") and "orderEvents" in line:
                got.append(json.loads(line[6:])["data"]["orderEvents"]["position"])
            if len(got) == len(stored):
                break
    assert got == stored


@pytest.mark.parametrize(
    ("origin", "accepted"), [("https://shop.example", True), ("https://evil.example", False)]
)
def test_only_configured_browser_origins_may_open_a_socket(
    live: Live, origin: str, accepted: bool
) -> None:
    from starlette.websockets import WebSocketDisconnect

    seeded = live.shop()
    params = {"Authorization": seeded.authorization}
    if accepted:
        with live.socket("acme", params, headers={"origin": origin}):
            pass
        return
    with pytest.raises(WebSocketDisconnect) as refused:
        with live.socket("acme", params, headers={"origin": origin}):
            pass
    assert refused.value.code == 1008
