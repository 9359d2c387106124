"""Test data written straight to the tables, for tests that need orders, shipments, events
and claims without going through the mutations.

Events go through `resolvers.event_log.append` (the one write path for events), and the
shipment's cached phase and timestamps are set to match, as the real writers do.

    make = Factory(db, clock)
    shop = await make.shop("acme")
    order = await make.order(shop, "1001", products=[Item("MUG", "Mug", 2, "12.50")])
    parcel = await make.shipment(order, tracking_number="00340434", carrier="dhl")
    await make.events(parcel, "DEPARTURE_FROM_TRANSPORT_HUB", "SUCCESSFULLY_DELIVERED")
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import update
from sqlmodel import select

from parcelgraph.auth import digest, new_order_token_secret
from parcelgraph.db import Database
from parcelgraph.domain import catalogue
from parcelgraph.domain.enums import Direction, EventSource
from parcelgraph.models import (
    Claim,
    ClaimItem,
    Discount,
    Event,
    LineItem,
    Order,
    OrderAnalytics,
    OrderToken,
    Shipment,
    ShipmentItem,
    Shop,
)
from parcelgraph.resolvers.common import event_log
from parcelgraph.resolvers.common.event_log import NewEvent
from tests.support import FrozenClock


@dataclass(frozen=True)
class Item:
    """A line item to create; `parts` makes it a BUNDLE of those items."""

    sku: str
    title: str
    quantity: int = 1
    price: str = "10.00"
    parts: Sequence["Item"] = ()


@dataclass
class Factory:
    """Writes rows for tests; every timestamp defaults to the test clock."""

    db: Database
    clock: FrozenClock
    _shops: dict[str, Shop] = field(default_factory=dict)

    async def shop(self, slug: str) -> Shop:
        """The existing shop `slug` (create it with the `make_shop` fixture first)."""
        if slug not in self._shops:
            async with self.db.reader() as session:
                found = (await session.exec(select(Shop).where(Shop.slug == slug))).one()
            self._shops[slug] = found
        return self._shops[slug]

    async def order(
        self,
        shop: Shop,
        order_number: str,
        *,
        placed_at: datetime | None = None,
        updated_at: datetime | None = None,
        state: str = "PLACED",
        order_name: str | None = None,
        external_id: str | None = None,
        email: str | None = None,
        total: str = "10.00",
        products: Sequence[Item] = (Item("SKU-1", "Product"),),
        discounts: Sequence[tuple[str, str]] = (),
        analytics: dict[str, Any] | None = None,
        expected_shipments: int = 1,
    ) -> Order:
        """An order with its line items, discounts and attribution."""
        placed = placed_at or self.clock()
        order = Order(
            shop_id=shop.id,
            order_number=order_number,
            order_name=order_name,
            external_id=external_id,
            order_placed_at=placed,
            email=email,
            currency=shop.currency,
            total_order_price=Decimal(total),
            sub_total_price=Decimal(total),
            state=state,
            expected_number_of_shipments=expected_shipments,
            address={"name": "Ada Lovelace", "city": "Berlin", "zip_code": "10115"},
            created_at=self.clock(),
            updated_at=updated_at or self.clock(),
        )
        rows: list[Any] = [order]
        position = 0
        for item in products:
            position += 1
            parent = self._line(order, item, position, None)
            rows.append(parent)
            for part in item.parts:
                position += 1
                rows.append(self._line(order, part, position, parent.id))
        for index, (code, amount) in enumerate(discounts):
            rows.append(
                Discount(order_id=order.id, position=index, code=code, amount=Decimal(amount))
            )
        if analytics is not None:
            rows.append(OrderAnalytics(order_id=order.id, shop_id=shop.id, **analytics))
        async with self.db.writer() as session:
            session.add(order)
            await session.flush()
            session.add_all(rows[1:])
            await session.commit()
        return await self._reload(Order, order.id)

    @staticmethod
    def _line(order: Order, item: Item, position: int, parent: uuid.UUID | None) -> LineItem:
        return LineItem(
            order_id=order.id,
            parent_id=parent,
            position=position,
            sku=item.sku,
            title=item.title,
            quantity=item.quantity,
            price=Decimal(item.price),
            type="BUNDLE" if item.parts else "PRODUCT",
        )

    async def shipment(
        self,
        order: Order,
        *,
        tracking_number: str | None = None,
        carrier: str | None = None,
        direction: Direction = Direction.MERCHANT_CUSTOMER,
        position: int | None = None,
        placed_at: datetime | None = None,
        created_at: datetime | None = None,
        contents: Sequence[tuple[str, int]] | None = None,
    ) -> Shipment:
        """A shipment of `order`: a draft without a tracking number, else fulfilled.

        `contents` lists (sku, quantity); by default a fulfilled shipment holds every
        top-level line item of the order, a draft holds nothing.
        """
        async with self.db.writer() as session:
            count = len(
                (await session.exec(select(Shipment).where(Shipment.order_id == order.id))).all()
            )
            lines = (
                await session.exec(select(LineItem).where(LineItem.order_id == order.id))
            ).all()
            created = created_at or self.clock()
            shipment = Shipment(
                shop_id=order.shop_id,
                order_id=order.id,
                position=position or count + 1,
                tracking_number=tracking_number,
                tracking_placed_at=(placed_at or created) if tracking_number else None,
                carrier_reference=carrier,
                carrier_confidence=1.0 if carrier else None,
                direction=direction.value,
                phase="order_processed" if tracking_number else "order_created",
                created_at=created,
                updated_at=created,
            )
            session.add(shipment)
            await session.flush()
            by_sku = {li.sku: li for li in lines}
            if contents is None:
                contents = (
                    [(li.sku or "", li.quantity) for li in lines if li.parent_id is None]
                    if tracking_number
                    else []
                )
            session.add_all(
                ShipmentItem(
                    shipment_id=shipment.id, line_item_id=by_sku[sku].id, sku=sku, quantity=qty
                )
                for sku, qty in contents
            )
            await session.commit()
        return await self._reload(Shipment, shipment.id)

    async def events(
        self,
        shipment: Shipment,
        *names: str,
        at: datetime | None = None,
        step: timedelta | None = None,
    ) -> list[Event]:
        """Append catalogue events to a shipment (occurring `step` apart from `at`), through
        the event log, and move the shipment's cached phase and timestamps with them."""
        moment = at or self.clock()
        gap = step if step is not None else timedelta(hours=1)
        direction = Direction(shipment.direction)
        new: list[NewEvent] = []
        for index, name in enumerate(names):
            definition = catalogue.get(name)
            new.append(
                NewEvent(
                    order_id=shipment.order_id,
                    shipment_id=shipment.id,
                    source=EventSource.SHIPMENTS.value,
                    ref=definition.ref,
                    phase=definition.phase.value if definition.phase else None,
                    event_name=name,
                    event_group=catalogue.group_for(definition, direction).value,
                    direction=direction.value,
                    occurred_at=moment + gap * index,
                )
            )
        shop = await self._shop_of(shipment.shop_id)
        async with self.db.writer() as session:
            stored = await event_log.append(session, shop=shop, events=new, now=self.clock())
            last = new[-1]
            values: dict[str, Any] = {"last_event_at": last.occurred_at}
            if last.phase and not catalogue.get(last.event_name).keeps_phase:
                values["phase"] = last.phase
            if last.phase == "delivered":
                values["delivered_at"] = last.occurred_at
            await session.exec(  # type: ignore[call-overload]
                update(Shipment).where(Shipment.id == shipment.id).values(**values)
            )
            await session.commit()
        return stored

    async def claim(
        self,
        shipment: Shipment,
        *,
        reason: str = "DAMAGE",
        status: str = "PENDING",
        preference: str | None = None,
        created_at: datetime | None = None,
        items: Sequence[tuple[str, str, int]] = (),
    ) -> Claim:
        """A claim on a shipment, with (sku, title, quantity) items."""
        created = created_at or self.clock()
        claim = Claim(
            shop_id=shipment.shop_id,
            order_id=shipment.order_id,
            shipment_id=shipment.id,
            reason=reason,
            status=status,
            resolution_preference=preference,
            created_at=created,
            updated_at=created,
        )
        async with self.db.writer() as session:
            session.add(claim)
            await session.flush()
            session.add_all(
                ClaimItem(claim_id=claim.id, sku=sku, title=title, quantity=qty)
                for sku, title, qty in items
            )
            await session.commit()
        return await self._reload(Claim, claim.id)

    async def token(self, order: Order, *, days: int = 30) -> str:
        """An order token for `order`, as an Authorization header value."""
        secret = new_order_token_secret()
        async with self.db.writer() as session:
            session.add(
                OrderToken(
                    shop_id=order.shop_id,
                    order_id=order.id,
                    token_hash=digest(secret),
                    created_at=self.clock(),
                    expires_at=self.clock() + timedelta(days=days),
                )
            )
            await session.commit()
        return f"Bearer {secret}"

    async def _shop_of(self, shop_id: uuid.UUID) -> Shop:
        for shop in self._shops.values():
            if shop.id == shop_id:
                return shop
        async with self.db.reader() as session:
            return (await session.exec(select(Shop).where(Shop.id == shop_id))).one()

    async def _reload(self, model: Any, row_id: uuid.UUID) -> Any:
        async with self.db.reader() as session:
            return (await session.exec(select(model).where(model.id == row_id))).one()
