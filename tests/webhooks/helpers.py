"""Test helpers for the webhook worker: shops, webhooks, orders and events written through
the real use cases (event_log.append writes the outbox), and a worker on the test clock."""

import asyncio
import inspect
import subprocess
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import select

from parcelgraph.config import Settings
from parcelgraph.db import Database
from parcelgraph.domain import catalogue
from parcelgraph.domain.enums import Direction, WebhookFormat
from parcelgraph.models import Event, Order, Shop, Webhook, WebhookAttempt, WebhookDelivery
from parcelgraph.resolvers import shops, webhooks
from parcelgraph.resolvers.common import event_log
from parcelgraph.resolvers.common.event_log import NewEvent
from parcelgraph.resolvers.webhooks.inputs import WebhookInput
from parcelgraph.webhooks.worker import WebhookWorker


def new_event(order_id: uuid.UUID, name: str, **extra: Any) -> NewEvent:
    """A catalogue event for a forward shipment (or a claim) of `order_id`."""
    definition = catalogue.get(name)
    direction = None if definition.phase is None else Direction.MERCHANT_CUSTOMER
    return NewEvent(
        order_id=order_id,
        source=str(definition.source),
        ref=definition.ref,
        event_name=definition.name,
        event_group=str(catalogue.group_for(definition, direction)),
        occurred_at=extra.pop("occurred_at", None) or extra.pop("now"),
        phase=str(definition.phase) if definition.phase else None,
        direction=str(direction) if direction else None,
        **extra,
    )


@dataclass
class Outbox:
    """Writes through the use cases on the test database, at the test clock's time."""

    db: Database
    clock: Any
    settings: Settings

    async def shop(self, slug: str = "acme") -> Shop:
        async with self.db.writer() as session:
            shop = await shops.get_by_slug(session, slug=slug)
            if shop is None:
                shop = await shops.create(session, slug=slug, now=self.clock())
                await session.commit()
            return shop

    async def webhook(
        self,
        shop: Shop,
        url: str,
        enabled_events: Sequence[str] | None = None,
        format: WebhookFormat = WebhookFormat.LEGACY,
    ) -> webhooks.IssuedSecret:
        """A webhook; LEGACY by default (both signature schemes, as these tests check)."""
        async with self.db.writer() as session:
            issued = await webhooks.create(
                session,
                shop=shop,
                input=WebhookInput(url=url, enabled_events=enabled_events, format=format),
                now=self.clock(),
                allow_private=True,
            )
            await session.commit()
        return issued

    async def order(self, shop: Shop, number: str | None = None) -> Order:
        async with self.db.writer() as session:
            order = Order(
                shop_id=shop.id,
                order_number=number or uuid.uuid4().hex[:10],
                order_placed_at=self.clock(),
                currency="EUR",
                email="ada@example.com",
                address={"name": "Ada Lovelace", "city": "Berlin", "country_code": "DE"},
            )
            session.add(order)
            await session.commit()
            return order

    async def emit(self, shop: Shop, order: Order, *names: str, now: Any = None) -> list[Event]:
        """Append catalogue events to one order in one transaction."""
        now = now or self.clock()
        async with self.db.writer() as session:
            stored = await event_log.append(
                session, shop=shop, events=[new_event(order.id, n, now=now) for n in names], now=now
            )
            await session.commit()
        return stored

    async def deliveries(self, webhook_id: uuid.UUID | None = None) -> list[WebhookDelivery]:
        async with self.db.reader() as session:
            stmt = select(WebhookDelivery).order_by(WebhookDelivery.event_position)  # type: ignore[arg-type]
            if webhook_id is not None:
                stmt = stmt.where(WebhookDelivery.webhook_id == webhook_id)
            return list((await session.exec(stmt)).all())

    async def attempts(self, delivery_id: uuid.UUID) -> list[WebhookAttempt]:
        async with self.db.reader() as session:
            stmt = (
                select(WebhookAttempt)
                .where(WebhookAttempt.delivery_id == delivery_id)
                .order_by(WebhookAttempt.attempt_number)  # type: ignore[arg-type]
            )
            return list((await session.exec(stmt)).all())

    async def reload(self, webhook_id: uuid.UUID) -> Webhook:
        async with self.db.reader() as session:
            return (await session.exec(select(Webhook).where(Webhook.id == webhook_id))).one()

    def worker(self, **kwargs: Any) -> WebhookWorker:
        return WebhookWorker(db=self.db, settings=self.settings, clock=self.clock, **kwargs)


async def wait_for_worker(
    predicate: Callable[[], Any], process: subprocess.Popen, what: str, limit: float = 60.0
) -> None:
    """Until `predicate()` (plain or awaitable) holds; fails after `limit` seconds (a bound
    for a loaded machine, not a timing) or as soon as the worker process exits."""
    started = time.monotonic()
    while True:
        held = predicate()
        if await held if inspect.isawaitable(held) else held:
            return
        if process.poll() is not None:
            pytest.fail(f"worker exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        assert time.monotonic() - started < limit, f"no {what} within {limit} s"
        await asyncio.sleep(0.05)
