"""Helpers for subscription tests over a real WebSocket (Starlette TestClient), and for
seeding the database they stream from.

Seeding runs on the app's own event loop through the TestClient portal, so it uses the same
Database and broker as the server: events are appended through `event_log.append` and
published after commit exactly as `Context.transaction` does.
"""

import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import anyio
import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient, WebSocketTestSession
from strawberry import relay

from parcelgraph.auth import digest
from parcelgraph.db import Database
from parcelgraph.domain.enums import Role
from parcelgraph.models import Event, Order, OrderToken, Shipment, Shop
from parcelgraph.models.types import utcnow
from parcelgraph.pubsub import Broker, publish_committed
from parcelgraph.resolvers import shops
from parcelgraph.resolvers.common import event_log
from parcelgraph.resolvers.common.event_log import NewEvent
from tests.support import basic

T = TypeVar("T")
PROTOCOL = "graphql-transport-ws"
RECEIVE_TIMEOUT = 10.0


@dataclass
class Seeded:
    """A shop with an admin key."""

    shop: Shop
    authorization: str


def order_gid(order_id: uuid.UUID) -> str:
    return relay.to_base64("Order", order_id)


def shipment_gid(shipment_id: uuid.UUID) -> str:
    return relay.to_base64("Shipment", shipment_id)


class Live:
    """A TestClient with the app's lifespan running, plus seeding on the app's loop."""

    def __init__(self, client: TestClient, app: FastAPI) -> None:
        self.client = client
        self.app = app

    @property
    def db(self) -> Database:
        return self.app.state.db

    @property
    def broker(self) -> Broker:
        return self.app.state.broker

    def run(self, work: Callable[[], Awaitable[T]]) -> T:
        """Run a coroutine function on the app's event loop."""
        assert self.client.portal is not None
        return self.client.portal.call(work)

    def shop(self, slug: str = "acme", role: Role = Role.ADMIN) -> Seeded:
        async def work() -> Seeded:
            async with self.db.writer() as session:
                shop = await shops.get_by_slug(session, slug=slug)
                if shop is None:
                    shop = await shops.create(session, slug=slug, currency="EUR", now=utcnow())
                issued = await shops.create_api_key(
                    session,
                    shop_slug=slug,
                    role=role,
                    name=f"{slug}-{uuid.uuid4().hex[:6]}",
                    now=utcnow(),
                )
                await session.commit()
            return Seeded(shop, basic(issued.key.name, issued.secret))

        return self.run(work)

    def order(self, shop: Shop, number: str, *, tracking: str | None = None) -> Order:
        """An order (and, with `tracking`, one fulfilled shipment), without events."""

        async def work() -> Order:
            async with self.db.writer() as session:
                order = Order(
                    shop_id=shop.id, order_number=number, order_placed_at=utcnow(), currency="EUR"
                )
                session.add(order)
                await session.flush()
                if tracking:
                    session.add(
                        Shipment(shop_id=shop.id, order_id=order.id, tracking_number=tracking)
                    )
                await session.commit()
            return order

        return self.run(work)

    def shipment_of(self, order: Order) -> Shipment:
        async def work() -> Shipment:
            from sqlmodel import select

            async with self.db.reader() as session:
                stmt = select(Shipment).where(Shipment.order_id == order.id)
                return (await session.exec(stmt)).one()

        return self.run(work)

    def token(self, order: Order) -> str:
        """A fresh order token for `order` (its secret)."""
        secret = "pgt_" + uuid.uuid4().hex

        async def work() -> None:
            async with self.db.writer() as session:
                session.add(
                    OrderToken(
                        shop_id=order.shop_id,
                        order_id=order.id,
                        token_hash=digest(secret),
                        expires_at=utcnow() + timedelta(days=1),
                    )
                )
                await session.commit()

        self.run(work)
        return secret

    def revoke_token(self, secret: str) -> None:
        async def work() -> None:
            from sqlmodel import select

            async with self.db.writer() as session:
                stmt = select(OrderToken).where(OrderToken.token_hash == digest(secret))
                token = (await session.exec(stmt)).one()
                token.revoked_at = utcnow()
                session.add(token)
                await session.commit()

        self.run(work)

    def append(self, shop: Shop, order: Order, *names: str, shipment_id: Any = None) -> list[int]:
        """Append one event per name to `order` in one transaction; return their positions."""

        async def work() -> list[int]:
            return await append_events(self.db, self.broker, shop, order, names, shipment_id)

        return self.run(work)

    def graphql(
        self, slug: str, authorization: str, query: str, variables: dict[str, Any]
    ) -> dict[str, Any]:
        """POST a GraphQL request over HTTP; the response's data (no errors allowed)."""
        response = self.client.post(
            f"/v1/shops/{slug}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": authorization},
        )
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    def positions_of(self, order_number: str) -> list[tuple[int, str]]:
        """(position, event name) of an order's stored events, oldest first."""

        async def work() -> list[tuple[int, str]]:
            from sqlmodel import select

            stmt = (
                select(Event.position, Event.event_name)
                .join(Order, Order.id == Event.order_id)
                .where(Order.order_number == order_number)
                .order_by(Event.position)
            )
            async with self.db.reader() as session:
                return [(int(p or 0), n) for p, n in (await session.exec(stmt)).all()]

        return self.run(work)

    @contextmanager
    def socket(
        self, slug: str, params: dict[str, Any] | None, **kwargs: Any
    ) -> Iterator[WebSocketTestSession]:
        """A graphql-transport-ws connection, initialised and acknowledged."""
        path = f"/v1/shops/{slug}/graphql"
        with self.client.websocket_connect(path, subprotocols=[PROTOCOL], **kwargs) as ws:
            ws.send_json({"type": "connection_init", "payload": params or {}})
            ack = receive(ws)
            assert ack["type"] == "connection_ack", ack
            yield ws


async def append_events(
    db: Database,
    broker: Broker | None,
    shop: Shop,
    order: Order,
    names: tuple[str, ...] | list[str],
    shipment_id: Any = None,
    message: str | None = None,
) -> list[int]:
    """Append events through the event log, commit, then publish (if a broker is given)."""
    now = utcnow()
    async with db.writer() as session:
        stored = await event_log.append(
            session,
            shop=shop,
            events=[
                NewEvent(
                    order_id=order.id,
                    shipment_id=shipment_id,
                    source="shipments",
                    ref=f"shipments/in_transit/{name}",
                    event_name=name,
                    event_group="shipment_in_transit",
                    phase="in_transit",
                    occurred_at=now,
                    message=message,
                )
                for name in names
            ],
            now=now,
        )
        await session.commit()
    if broker is not None:
        await publish_committed(broker, session.info)
    return [e.position or 0 for e in stored]


def receive(ws: WebSocketTestSession, timeout: float = RECEIVE_TIMEOUT) -> dict[str, Any]:
    """The next JSON message, failing (instead of hanging) after `timeout` seconds."""

    async def get() -> Any:
        with anyio.fail_after(timeout):
            return await ws._send_rx.receive()  # TestClient has no timeout

    message = ws.portal.call(get)
    if message["type"] == "websocket.close":
        raise Closed(message.get("code", 1000), message.get("reason", ""))
    import json

    return json.loads(message["text"])


class Closed(Exception):
    """The server closed the WebSocket."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"closed {code}: {reason}")
        self.code = code
        self.reason = reason


def subscribe(
    ws: WebSocketTestSession, op_id: str, query: str, variables: dict[str, Any] | None = None
) -> None:
    payload: dict[str, Any] = {"query": query}
    if variables is not None:
        payload["variables"] = variables
    ws.send_json({"id": op_id, "type": "subscribe", "payload": payload})


def next_data(ws: WebSocketTestSession, op_id: str) -> dict[str, Any]:
    """The data of the next `next` message, which must belong to `op_id` and have no errors."""
    message = receive(ws)
    assert message.get("id") == op_id and message["type"] == "next", message
    assert "errors" not in message["payload"], message
    return message["payload"]["data"]


def positions(ws: WebSocketTestSession, op_id: str, field: str, count: int) -> list[int]:
    """Receive `count` events of one subscription; return their positions."""
    return [next_data(ws, op_id)[field]["position"] for _ in range(count)]


@pytest.fixture(name="live")
def live_fixture(app: FastAPI) -> Iterator[Live]:
    """The app under a TestClient (lifespan running); import this fixture into a module."""
    with TestClient(app) as client:
        yield Live(client, app)
