"""The auth matrix over WebSocket (graphql-transport-ws): credentials in connection_init."""

import base64

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.support import issue_key_sync

PROTOCOL = ["graphql-transport-ws"]
VIEWER = "{ viewer { name role platform } shop { slug } }"


def _connect(client, slug: str, payload: dict | None):  # type: ignore[no-untyped-def]
    ws = client.websocket_connect(f"/v1/shops/{slug}/graphql", subprotocols=PROTOCOL)
    return ws


def _init(ws, payload: dict | None) -> dict:  # type: ignore[no-untyped-def]
    message = {"type": "connection_init"}
    if payload is not None:
        message["payload"] = payload
    ws.send_json(message)
    return ws.receive_json()


def _refused(client, slug: str, payload: dict | None) -> int:  # type: ignore[no-untyped-def]
    with _connect(client, slug, payload) as ws:
        ws.send_json({"type": "connection_init", "payload": payload or {}})
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    return closed.value.code


def test_valid_key_gets_ack_and_can_query(ws_app, database_url) -> None:  # type: ignore[no-untyped-def]
    header = issue_key_sync(database_url, "acme", "EDITOR")
    with _connect(ws_app, "acme", None) as ws:
        assert _init(ws, {"Authorization": header})["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": VIEWER}})
        assert ws.receive_json() == {
            "id": "1",
            "type": "next",
            "payload": {
                "data": {
                    "viewer": {"name": "acme-editor", "role": "EDITOR", "platform": False},
                    "shop": {"slug": "acme"},
                }
            },
        }
        assert ws.receive_json() == {"id": "1", "type": "complete"}


def test_platform_key_over_websocket(ws_app, database_url) -> None:  # type: ignore[no-untyped-def]
    issue_key_sync(database_url, "acme")
    header = issue_key_sync(database_url, "acme", "VIEWER", platform=True)
    with _connect(ws_app, "acme", None) as ws:
        assert _init(ws, {"authorization": header})["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": VIEWER}})
        assert ws.receive_json()["payload"]["data"]["viewer"]["platform"] is True


def test_missing_malformed_and_wrong_credentials_are_refused(ws_app, database_url) -> None:  # type: ignore[no-untyped-def]
    header = issue_key_sync(database_url, "acme")
    name = base64.b64decode(header.split()[1]).decode().split(":")[0]
    wrong = "Basic " + base64.b64encode(f"{name}:pgk_wrong".encode()).decode()
    for payload in (None, {}, {"Authorization": "Basic !!"}, {"Authorization": wrong}):
        assert _refused(ws_app, "acme", payload) == 4403


def test_key_of_another_shop_and_unknown_shop_are_refused(ws_app, database_url) -> None:  # type: ignore[no-untyped-def]
    header = issue_key_sync(database_url, "acme")
    issue_key_sync(database_url, "globex")
    assert _refused(ws_app, "globex", {"Authorization": header}) == 4403
    assert _refused(ws_app, "no-such-shop", {"Authorization": header}) == 4403


def test_revoked_key_is_refused(ws_app, database_url) -> None:  # type: ignore[no-untyped-def]
    import asyncio
    from datetime import UTC, datetime

    from parcelgraph.db import Database
    from parcelgraph.resolvers import shops

    header = issue_key_sync(database_url, "acme")

    async def revoke_all() -> None:
        db = Database(database_url, null_pool=True)
        async with db.writer() as session:
            for key in await shops.list_api_keys(session, shop_slug="acme"):
                await shops.revoke_api_key(session, key_id=key.id, now=datetime.now(UTC))
            await session.commit()
        await db.dispose()

    asyncio.run(revoke_all())
    assert _refused(ws_app, "acme", {"Authorization": header}) == 4403


def test_each_role_connects(ws_app, database_url) -> None:  # type: ignore[no-untyped-def]
    for role in ("VIEWER", "EDITOR", "ADMIN"):
        header = issue_key_sync(database_url, "acme", role)
        with _connect(ws_app, "acme", None) as ws:
            assert _init(ws, {"Authorization": header})["type"] == "connection_ack"
            ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": VIEWER}})
            assert ws.receive_json()["payload"]["data"]["viewer"]["role"] == role
