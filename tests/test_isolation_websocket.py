"""Tenant isolation over the WebSocket transport: a key of one shop reaches nothing of
another shop through queries, mutations or subscriptions sent on an open socket, and a key
on another shop's URL is refused at `connection_init`."""

from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.support import issue_key_sync

PROTOCOL = ["graphql-transport-ws"]
UPSERT = """mutation($input: UpsertOrderInput!) {
  upsertOrder(input: $input) { order { id orderNumber } errors { code } } }"""
TRACKING = {"trackingNumber": "1Z999AA10123456784", "carrierReference": "ups"}


def upsert(client: Any, slug: str, authorization: str, number: str) -> str:
    """Create an order with one parcel in `slug` over HTTP; its global id."""
    order = {"products": [], "address": {"zipCode": "10115", "countryCode": "DE"}}
    variables = {"input": {"id": number, "order": order, "trackings": [TRACKING]}}
    response = client.post(
        f"/v1/shops/{slug}/graphql",
        json={"query": UPSERT, "variables": variables},
        headers={"Authorization": authorization},
    )
    payload = response.json()["data"]["upsertOrder"]
    assert payload["errors"] == []
    return str(payload["order"]["id"])


def operation(socket: Any, id_: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    """Run one operation on the socket; its first answer (`next` payload or `error`)."""
    socket.send_json({"id": id_, "type": "subscribe",
                      "payload": {"query": query, "variables": variables or {}}})  # fmt: skip
    return socket.receive_json()


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"subscription_recheck_seconds": 3600.0}


def test_nothing_of_another_shop_is_reachable_over_a_socket(ws_app, database_url) -> None:  # type: ignore[no-untyped-def]
    alpha = issue_key_sync(database_url, "alpha", "EDITOR")
    beta = issue_key_sync(database_url, "beta", "EDITOR")
    beta_order = upsert(ws_app, "beta", beta, "B-1")

    with ws_app.websocket_connect("/v1/shops/alpha/graphql", subprotocols=PROTOCOL) as socket:
        socket.send_json({"type": "connection_init", "payload": {"Authorization": alpha}})
        assert socket.receive_json()["type"] == "connection_ack"

        read = operation(socket, "1", """query($id: ID!) { node(id: $id) { id }
            order(orderNumber: "B-1") { id } orders(first: 10) { totalCount }
            shipments(first: 10) { totalCount } events(first: 10) { totalCount } }""",
            {"id": beta_order})  # fmt: skip
        assert read["payload"]["data"] == {
            "node": None, "order": None, "orders": {"totalCount": 0},
            "shipments": {"totalCount": 0}, "events": {"totalCount": 0},
        }  # fmt: skip
        assert socket.receive_json() == {"id": "1", "type": "complete"}

        cancel = operation(socket, "2", """mutation($id: String!) {
            cancelOrder(input: {id: $id}) { order { id } errors { code } } }""",
            {"id": beta_order})  # fmt: skip
        assert cancel["payload"]["data"]["cancelOrder"] == {
            "order": None, "errors": [{"code": "ORDER_NOT_FOUND"}]
        }  # fmt: skip
        assert socket.receive_json() == {"id": "2", "type": "complete"}

        stream = operation(socket, "3", """subscription($id: ID!) {
            orderEvents(orderId: $id, after: 0) { position } }""", {"id": beta_order})  # fmt: skip
        assert stream["type"] == "next"
        assert stream["payload"]["data"] is None
        assert [e["extensions"]["code"] for e in stream["payload"]["errors"]] == ["NOT_FOUND"]
        assert socket.receive_json() == {"id": "3", "type": "complete"}

        # alpha's whole-shop history holds alpha's own event only: beta's never crosses
        upsert(ws_app, "alpha", alpha, "A-1")
        history = operation(
            socket, "4", "subscription { events(after: 0) { order { orderNumber } } }"
        )
        assert history["payload"]["data"]["events"]["order"]["orderNumber"] == "A-1"

    # alpha's key on beta's URL: refused at connection_init, before any operation
    with ws_app.websocket_connect("/v1/shops/beta/graphql", subprotocols=PROTOCOL) as socket:
        socket.send_json({"type": "connection_init", "payload": {"Authorization": alpha}})
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
    assert closed.value.code == 4403

    # and beta's order is untouched
    check = ws_app.post("/v1/shops/beta/graphql", headers={"Authorization": beta},
                        json={"query": '{ order(orderNumber: "B-1") { state } }'})  # fmt: skip
    assert check.json()["data"]["order"]["state"] != "CANCELLED"
