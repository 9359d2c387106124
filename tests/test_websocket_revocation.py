"""Revoked credentials end open WebSockets: once a key (`parcelgraph key revoke`) or an order
token (`revokeOrderToken`) is revoked, no operation started on an open socket runs (nothing
written, nothing replayed) and the socket is closed with 4403, idle or not."""

import asyncio
import base64
from typing import Any

import pytest
from sqlmodel import select
from starlette.websockets import WebSocketDisconnect
from typer.testing import CliRunner

from parcelgraph.cli import app as cli_app
from parcelgraph.config import get_settings
from parcelgraph.db import Database
from parcelgraph.models import ApiKey, Order
from tests.support import issue_key_sync

PROTOCOL = ["graphql-transport-ws"]
UPSERT = 'mutation { upsertOrder(input: {id: "A-1", order: {products: []}}) { errors { code } } }'
HISTORY = "subscription { events(after: 0) { position } }"


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    # A long watch interval: what refuses the next operation is the per-operation check.
    return {"subscription_recheck_seconds": 3600.0}


def connect(client, authorization: dict[str, str]):  # type: ignore[no-untyped-def]
    ws = client.websocket_connect("/v1/shops/acme/graphql", subprotocols=PROTOCOL)
    socket = ws.__enter__()
    socket.send_json({"type": "connection_init", "payload": authorization})
    assert socket.receive_json()["type"] == "connection_ack"
    return ws, socket


def until_closed(socket: Any) -> tuple[list[dict[str, Any]], int]:
    """Every message the server still sends, and the close code that ends them."""
    received = []
    with pytest.raises(WebSocketDisconnect) as closed:
        while True:
            received.append(socket.receive_json())
    return received, closed.value.code


def run_sync(database_url: str, work: Any) -> Any:
    async def main() -> Any:
        db = Database(database_url, null_pool=True)
        try:
            async with db.writer() as session:
                return await work(session)
        finally:
            await db.dispose()

    return asyncio.run(main())


def revoke_with_the_cli(database_url: str, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    async def key_id(session: Any) -> Any:
        return (await session.exec(select(ApiKey.id).where(ApiKey.name == name))).one()

    monkeypatch.setenv("PARCELGRAPH_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli_app, ["key", "revoke", str(run_sync(database_url, key_id))])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output


def orders(database_url: str) -> list[Any]:
    async def read(session: Any) -> list[Any]:
        return list((await session.exec(select(Order.order_number))).all())

    return run_sync(database_url, read)


def key_name(header: str) -> str:
    return base64.b64decode(header.split()[1]).decode().split(":")[0]


@pytest.mark.parametrize("operation", [UPSERT, HISTORY, "{ shop { slug } }"])
def test_no_operation_runs_after_the_key_is_revoked(  # type: ignore[no-untyped-def]
    ws_app, database_url, monkeypatch, operation: str
) -> None:
    header = issue_key_sync(database_url, "acme", "EDITOR")
    ws, socket = connect(ws_app, {"Authorization": header})
    try:
        socket.send_json(
            {"id": "0", "type": "subscribe", "payload": {"query": "{ shop { slug } }"}}
        )
        assert socket.receive_json()["payload"]["data"] == {"shop": {"slug": "acme"}}
        assert socket.receive_json() == {"id": "0", "type": "complete"}

        revoke_with_the_cli(database_url, monkeypatch, key_name(header))
        socket.send_json({"id": "1", "type": "subscribe", "payload": {"query": operation}})
        received, code = until_closed(socket)
    finally:
        ws.__exit__(None, None, None)

    assert code == 4403
    assert all("data" not in m.get("payload", {}) or m["payload"]["data"] is None for m in received)
    for message in received:
        if message.get("type") == "next":
            [error] = message["payload"]["errors"]
            assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert orders(database_url) == []


@pytest.mark.parametrize("settings_overrides", [{"subscription_recheck_seconds": 0.2}])
def test_an_idle_connection_is_closed_once_its_key_is_revoked(  # type: ignore[no-untyped-def]
    ws_app, database_url, monkeypatch
) -> None:
    header = issue_key_sync(database_url, "acme", "VIEWER")
    ws, socket = connect(ws_app, {"Authorization": header})
    try:
        revoke_with_the_cli(database_url, monkeypatch, key_name(header))
        received, code = until_closed(socket)
    finally:
        ws.__exit__(None, None, None)

    assert (received, code) == ([], 4403)


def test_a_revoked_order_token_cannot_change_the_address(  # type: ignore[no-untyped-def]
    ws_app, database_url
) -> None:
    editor = issue_key_sync(database_url, "acme", "EDITOR")
    merchant, merchant_socket = connect(ws_app, {"Authorization": editor})

    def run(socket: Any, query: str, variables: dict | None = None) -> dict:
        payload: dict[str, Any] = {"query": query}
        if variables:
            payload["variables"] = variables
        socket.send_json({"id": "m", "type": "subscribe", "payload": payload})
        result = socket.receive_json()["payload"]
        assert socket.receive_json()["type"] == "complete"
        return result

    try:
        created = run(
            merchant_socket,
            'mutation { upsertOrder(input: {id: "A-1", order: {address: {zipCode: "10115", '
            'countryCode: "DE", name: "Ada"}, products: []}}) { order { id } errors { code } } }',
        )["data"]["upsertOrder"]
        issued = run(
            merchant_socket,
            "mutation($o: ID!) { issueOrderToken(input: {orderId: $o}) "
            "{ token orderToken { id } } }",
            {"o": created["order"]["id"]},
        )["data"]["issueOrderToken"]
        customer, customer_socket = connect(ws_app, {"token": issued["token"]})
        try:
            revoked = run(
                merchant_socket,
                "mutation($t: ID!) { revokeOrderToken(input: {id: $t}) { errors { code } } }",
                {"t": issued["orderToken"]["id"]},
            )
            assert revoked["data"]["revokeOrderToken"]["errors"] == []
            customer_socket.send_json(
                {
                    "id": "c",
                    "type": "subscribe",
                    "payload": {
                        "query": "mutation { updateMyOrderAddress(input: {address: {zipCode: "
                        '"10117", countryCode: "DE", name: "Mallory"}}) { errors { code } } }'
                    },
                }
            )
            _, code = until_closed(customer_socket)
        finally:
            customer.__exit__(None, None, None)
        address = run(merchant_socket, '{ order(orderNumber: "A-1") { address { name zipCode } } }')
    finally:
        merchant.__exit__(None, None, None)

    assert code == 4403
    assert address["data"]["order"]["address"] == {"name": "Ada", "zipCode": "10115"}
