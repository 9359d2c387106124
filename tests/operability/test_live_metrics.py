"""/metrics for the live side: open WebSocket connections and events sent to subscribers."""

import pytest
from starlette.testclient import TestClient

from tests.support import issue_key_sync

PROTOCOL = ["graphql-transport-ws"]
TOKEN = "scraper-token"
UPSERT = """mutation($input: UpsertOrderInput!) {
  upsertOrder(input: $input) { order { events(first: 100) { edges { node { position } } } }
                               errors { code } } }"""


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"metrics_token": TOKEN}  # the test client does not come from a loopback address


def _metric(client: TestClient, name: str) -> float:
    scraped = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    for line in scraped.text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in /metrics")


def test_connections_are_counted_while_open_and_each_event_sent_once(
    ws_app: TestClient, database_url: str
) -> None:
    header = issue_key_sync(database_url, "acme")
    tracking = {"trackingNumber": "1Z999AA10123456784", "carrierReference": "ups"}
    address = {"name": "Ada L", "addressLine1": "Torstr. 1", "zipCode": "10115",
               "city": "Berlin", "countryCode": "DE"}  # fmt: skip
    order = {"orderNumber": "1001", "email": "ada@example.com", "address": address}
    upserted = ws_app.post(
        "/v1/shops/acme/graphql",
        json={"query": UPSERT, "variables": {"input": {"id": "1001", "order": order,
                                                        "trackings": [tracking]}}},
        headers={"Authorization": header},
    ).json()["data"]["upsertOrder"]  # fmt: skip
    assert upserted["errors"] == []
    stored = len(upserted["order"]["events"]["edges"])
    idle = _metric(ws_app, "parcelgraph_websocket_connections")
    sent_before = _metric(ws_app, "parcelgraph_subscription_events_sent_total")

    with ws_app.websocket_connect("/v1/shops/acme/graphql", subprotocols=PROTOCOL) as ws:
        ws.send_json({"type": "connection_init", "payload": {"Authorization": header}})
        assert ws.receive_json()["type"] == "connection_ack"
        subscription = 'subscription { orderEvents(orderNumber: "1001", after: 0) { position } }'
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": subscription}})
        received = [ws.receive_json() for _ in range(stored)]
        open_now = _metric(ws_app, "parcelgraph_websocket_connections")
        sent = _metric(ws_app, "parcelgraph_subscription_events_sent_total") - sent_before

    assert stored >= 1
    assert [m["type"] for m in received] == ["next"] * stored
    assert (open_now - idle, sent) == (1, stored)
    assert _metric(ws_app, "parcelgraph_websocket_connections") == idle
