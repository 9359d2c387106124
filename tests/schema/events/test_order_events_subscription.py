"""orderEvents over a real WebSocket: live delivery, resume with `after`, refusals, caps."""

import pytest

from tests.live_support import (
    Closed,
    Live,
    live_fixture,  # noqa: F401 (the `live` fixture)
    next_data,
    order_gid,
    positions,
    receive,
    subscribe,
)
from tests.schema.orders.order_mutations import order as order_input

ORDER_EVENTS = """
subscription($orderId: ID, $orderNumber: String, $after: Int) {
  orderEvents(orderId: $orderId, orderNumber: $orderNumber, after: $after) {
    position sequence eventName ref order { orderNumber }
  }
}"""


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"max_subscriptions_per_connection": 3, "subscription_recheck_seconds": 0.2}


def test_a_committed_event_reaches_the_subscriber_with_its_cursor(live: Live) -> None:
    seeded = live.shop()
    order = live.order(seeded.shop, "1001")
    with live.socket("acme", {"Authorization": seeded.authorization}) as ws:
        # `after: 0` (no event yet): whether the append lands before or after the stream
        # goes live, it is delivered exactly once.
        subscribe(ws, "1", ORDER_EVENTS, {"orderNumber": "1001", "after": 0})
        [position] = live.append(seeded.shop, order, "PICKED_UP")

        event = next_data(ws, "1")["orderEvents"]

    assert event == {
        "position": position,
        "sequence": 1,
        "eventName": "PICKED_UP",
        "ref": "shipments/in_transit/PICKED_UP",
        "order": {"orderNumber": "1001"},
    }


def test_upsert_order_attaching_a_tracking_streams_its_event_live(live: Live) -> None:
    seeded = live.shop()
    upsert = (
        "mutation($input: UpsertOrderInput!) { upsertOrder(input: $input) { errors { code } } }"
    )
    created = {"id": "1001", "order": order_input()}
    live.graphql("acme", seeded.authorization, upsert, {"input": created})
    with live.socket("acme", {"Authorization": seeded.authorization}) as ws:
        subscribe(ws, "1", ORDER_EVENTS, {"orderNumber": "1001", "after": 0})
        history = next_data(ws, "1")["orderEvents"]
        tracking = {"id": "1001", "trackings": [{"trackingNumber": "00340434161094042557"}]}
        assert live.graphql("acme", seeded.authorization, upsert, {"input": tracking}) == {
            "upsertOrder": {"errors": []}
        }
        fulfilled = next_data(ws, "1")["orderEvents"]

    stored = live.positions_of("1001")
    assert stored == [
        (history["position"], "ORDER_CREATED"),
        (fulfilled["position"], "ORDER_FULFILLED"),
    ]
    assert (history["sequence"], fulfilled["sequence"]) == (1, 2)


def test_reconnecting_with_after_delivers_exactly_the_missed_events(live: Live) -> None:
    seeded = live.shop()
    order = live.order(seeded.shop, "1001")
    other = live.order(seeded.shop, "2002")
    first = live.append(seeded.shop, order, "A", "B")
    missed = live.append(seeded.shop, order, "C")
    live.append(seeded.shop, other, "NOT_MINE")
    missed += live.append(seeded.shop, order, "D", "E")

    with live.socket("acme", {"Authorization": seeded.authorization}) as ws:
        subscribe(ws, "1", ORDER_EVENTS, {"orderId": order_gid(order.id), "after": first[-1]})
        replayed = positions(ws, "1", "orderEvents", 3)
        [live_one] = live.append(seeded.shop, order, "F")
        # The next message is the live event: nothing replayed twice, nothing extra.
        following = next_data(ws, "1")["orderEvents"]

    assert replayed == missed
    assert (following["position"], following["sequence"]) == (live_one, 6)


def test_after_zero_replays_the_whole_history_in_order(live: Live) -> None:
    seeded = live.shop()
    order = live.order(seeded.shop, "1001")
    stored = live.append(seeded.shop, order, "A", "B", "C")
    with live.socket("acme", {"Authorization": seeded.authorization}) as ws:
        subscribe(ws, "1", ORDER_EVENTS, {"orderNumber": "1001", "after": 0})
        events = [next_data(ws, "1")["orderEvents"] for _ in range(3)]
    assert [(e["position"], e["sequence"]) for e in events] == list(
        zip(stored, [1, 2, 3], strict=True)
    )


def test_an_order_token_streams_its_own_order(live: Live) -> None:
    seeded = live.shop()
    order = live.order(seeded.shop, "1001")
    stored = live.append(seeded.shop, order, "A")
    token = live.token(order)
    with live.socket("acme", {"token": token}) as ws:
        subscribe(ws, "1", ORDER_EVENTS, {"orderNumber": "1001", "after": 0})
        assert positions(ws, "1", "orderEvents", 1) == stored


@pytest.mark.parametrize("target", ["other order", "missing order"])
def test_an_order_token_is_refused_another_order_as_if_it_did_not_exist(
    live: Live, target: str
) -> None:
    seeded = live.shop()
    mine = live.order(seeded.shop, "1001")
    live.order(seeded.shop, "2002")
    token = live.token(mine)
    number = "2002" if target == "other order" else "9999"
    with live.socket("acme", {"token": token}) as ws:
        subscribe(ws, "1", ORDER_EVENTS, {"orderNumber": number, "after": 0})
        message = receive(ws)
    assert message["type"] == "next"
    assert message["payload"]["data"] is None
    [error] = message["payload"]["errors"]
    assert (error["message"], error["extensions"]) == (
        "No order matches in this shop.",
        {"code": "NOT_FOUND"},
    )


def test_a_revoked_token_ends_its_subscription_within_the_recheck_interval(live: Live) -> None:
    seeded = live.shop()
    order = live.order(seeded.shop, "1001")
    token = live.token(order)
    with live.socket("acme", {"token": token}) as ws:
        subscribe(ws, "1", ORDER_EVENTS, {"orderNumber": "1001"})
        ws.send_json({"type": "ping"})
        assert receive(ws) == {"type": "pong"}
        live.revoke_token(token)
        # The stream's own re-check and the connection's watcher share the interval: the
        # stream may still report UNAUTHENTICATED before the socket closes with 4403.
        received = []
        with pytest.raises(Closed) as closed:
            while True:
                received.append(receive(ws, timeout=3))
    assert closed.value.code == 4403
    assert [m["type"] for m in received] in ([], ["next"], ["next", "complete"])
    for message in received[:1]:
        assert message["id"] == "1"
        assert message["payload"]["data"] is None
        [error] = message["payload"]["errors"]
        assert error["extensions"] == {"code": "UNAUTHENTICATED"}


def test_a_connection_cannot_exceed_the_subscription_cap(live: Live) -> None:
    seeded = live.shop()
    live.order(seeded.shop, "1001")
    with live.socket("acme", {"Authorization": seeded.authorization}) as ws:
        for op_id in ("1", "2", "3", "4"):
            subscribe(ws, op_id, ORDER_EVENTS, {"orderNumber": "1001"})
        refused = receive(ws)
    assert refused == {
        "id": "4",
        "type": "error",
        "payload": [{"message": "Subscription limit reached"}],
    }


def test_without_credentials_the_connection_is_refused(live: Live) -> None:
    live.shop()
    with pytest.raises(Closed) as closed:
        with live.socket("acme", {}):
            pass
    assert closed.value.code == 4403
