"""Order tokens over WebSocket (graphql-transport-ws): `token` in connection_init acts as the
order's customer; an expired or revoked token is closed with 4403 before anything runs."""

import asyncio
from datetime import timedelta

import pytest
from starlette.websockets import WebSocketDisconnect

from parcelgraph.auth import digest
from parcelgraph.db import Database
from parcelgraph.models import OrderToken
from parcelgraph.resolvers import shops
from tests.factories import Factory
from tests.support import FrozenClock

PROTOCOL = ["graphql-transport-ws"]
PATH = "/v1/shops/acme/graphql"


def tokens(database_url: str, clock: FrozenClock) -> dict[str, str]:
    """Shop acme, order 1001 and three tokens of it: valid, expired and revoked."""

    async def work() -> dict[str, str]:
        db = Database(database_url, null_pool=True)
        try:
            async with db.writer() as session:
                await shops.create(session, slug="acme", now=clock())
                await session.commit()
            make = Factory(db, clock)
            order = await make.order(await make.shop("acme"), "1001")
            now = clock()
            rows = {
                "valid": OrderToken(
                    shop_id=order.shop_id,
                    order_id=order.id,
                    token_hash=digest("pgt_valid"),
                    expires_at=now + timedelta(days=1),
                ),
                "expired": OrderToken(
                    shop_id=order.shop_id,
                    order_id=order.id,
                    token_hash=digest("pgt_expired"),
                    expires_at=now,
                ),
                "revoked": OrderToken(
                    shop_id=order.shop_id,
                    order_id=order.id,
                    token_hash=digest("pgt_revoked"),
                    expires_at=now + timedelta(days=1),
                    revoked_at=now - timedelta(seconds=1),
                ),
            }
            async with db.writer() as session:
                session.add_all(rows.values())
                await session.commit()
            return {name: f"pgt_{name}" for name in rows}
        finally:
            await db.dispose()

    return asyncio.run(work())


def test_a_valid_token_is_the_orders_customer(ws_app, database_url, clock) -> None:  # type: ignore[no-untyped-def]
    token = tokens(database_url, clock)["valid"]
    with ws_app.websocket_connect(PATH, subprotocols=PROTOCOL) as ws:
        ws.send_json({"type": "connection_init", "payload": {"token": token}})
        assert ws.receive_json()["type"] == "connection_ack"
        query = '{ viewer { kind } order(orderNumber: "1001") { orderNumber } }'
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": query}})
        assert ws.receive_json() == {
            "id": "1",
            "type": "next",
            "payload": {"data": {"viewer": {"kind": "CUSTOMER"}, "order": {"orderNumber": "1001"}}},
        }


@pytest.mark.parametrize("which", ["expired", "revoked", "unknown"])
def test_expired_revoked_and_unknown_tokens_are_closed_with_4403(
    ws_app, database_url, clock, which: str
) -> None:  # type: ignore[no-untyped-def]
    token = tokens(database_url, clock).get(which, "pgt_unknown")
    with ws_app.websocket_connect(PATH, subprotocols=PROTOCOL) as ws:
        ws.send_json({"type": "connection_init", "payload": {"token": token}})
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4403
