"""Every uniqueness rule of the data model is enforced by the database itself, so a race
between two writers can never produce a duplicate."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from parcelgraph.models import (
    ApiKey,
    Claim,
    Event,
    IdempotencyRecord,
    Order,
    OrderToken,
    Shipment,
    Shop,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _order(shop: Shop, number: str, external_id: str | None = None) -> Order:
    return Order(
        shop_id=shop.id,
        order_number=number,
        external_id=external_id,
        order_placed_at=NOW,
        currency="EUR",
    )


def _event(
    order: Order, shipment: Shipment | None, sequence: int, external_id: str | None
) -> Event:
    return Event(
        shop_id=order.shop_id,
        order_id=order.id,
        shipment_id=shipment.id if shipment else None,
        sequence=sequence,
        source="shipments",
        ref="shipments/in_transit/DEPARTURE_FROM_TRANSPORT_HUB",
        phase="in_transit",
        event_name="DEPARTURE_FROM_TRANSPORT_HUB",
        event_group="shipment_in_transit",
        occurred_at=NOW,
        recorded_at=NOW,
        external_id=external_id,
    )


async def _base(db) -> tuple[Shop, Shop, Order, Shipment]:  # type: ignore[no-untyped-def]
    async with db.writer() as session:
        acme, globex = Shop(slug="acme", name="Acme"), Shop(slug="globex", name="Globex")
        session.add_all([acme, globex])
        await session.flush()
        order = _order(acme, "1001", "ext-1")
        session.add(order)
        await session.flush()
        shipment = Shipment(shop_id=acme.id, order_id=order.id, tracking_number="TRK1")
        session.add(shipment)
        await session.commit()
    return acme, globex, order, shipment


async def _rejects(db, *rows: SQLModel) -> None:  # type: ignore[no-untyped-def]
    async with db.writer() as session:
        session.add_all(list(rows))
        with pytest.raises(IntegrityError):
            await session.flush()
        await session.rollback()


async def _accepts(db, *rows: SQLModel) -> None:  # type: ignore[no-untyped-def]
    async with db.writer() as session:
        session.add_all(list(rows))
        await session.commit()


Case = Callable[[Shop, Shop, Order, Shipment], tuple[list[SQLModel], list[SQLModel]]]


def _slug(acme, globex, order, shipment):  # type: ignore[no-untyped-def]
    return [Shop(slug="acme", name="again")], [Shop(slug="initech", name="Initech")]


def _order_number(acme, globex, order, shipment):  # type: ignore[no-untyped-def]
    # The same number in another shop is fine; twice in one shop is not.
    return [_order(acme, "1001")], [_order(globex, "1001")]


def _external_id(acme, globex, order, shipment):  # type: ignore[no-untyped-def]
    # Several orders without an external id are fine (NULLs are distinct).
    return [_order(acme, "1002", "ext-1")], [_order(acme, "1003"), _order(acme, "1004")]


def _tracking_number(acme, globex, order, shipment):  # type: ignore[no-untyped-def]
    other = _order(acme, "2001")
    return (
        [Shipment(shop_id=acme.id, order_id=order.id, tracking_number="TRK1")],
        [other, Shipment(shop_id=acme.id, order_id=other.id, tracking_number="TRK1")],
    )


def _event_external_id(acme, globex, order, shipment):  # type: ignore[no-untyped-def]
    first = _event(order, shipment, 1, "scan-1")
    return [first, _event(order, shipment, 2, "scan-1")], [_event(order, shipment, 3, "scan-2")]


def _event_sequence(acme, globex, order, shipment):  # type: ignore[no-untyped-def]
    return (
        [_event(order, shipment, 7, None), _event(order, shipment, 7, None)],
        [_event(order, shipment, 8, None)],
    )


def _api_key_hash(acme, globex, order, shipment):  # type: ignore[no-untyped-def]
    key = ApiKey(shop_id=acme.id, name="a", secret_hash="h" * 64, role="ADMIN")
    twin = ApiKey(shop_id=globex.id, name="b", secret_hash="h" * 64, role="ADMIN")
    return [key, twin], [ApiKey(shop_id=acme.id, name="c", secret_hash="g" * 64, role="ADMIN")]


def _token_hash(acme, globex, order, shipment):  # type: ignore[no-untyped-def]
    def token(h: str) -> OrderToken:
        return OrderToken(shop_id=acme.id, order_id=order.id, token_hash=h, expires_at=NOW)

    return [token("t" * 64), token("t" * 64)], [token("u" * 64)]


def _open_claim(acme, globex, order, shipment):  # type: ignore[no-untyped-def]
    def claim(reason: str, status: str) -> Claim:
        return Claim(
            shop_id=acme.id,
            order_id=order.id,
            shipment_id=shipment.id,
            reason=reason,
            status=status,
        )

    # One OPEN claim per (shipment, reason); closed ones and other reasons don't count.
    return (
        [claim("DAMAGE", "PENDING"), claim("DAMAGE", "ACCEPTED")],
        [claim("DAMAGE", "CLOSED"), claim("DAMAGE", "REJECTED"), claim("RETURN", "PENDING")],
    )


def _idempotency(acme, globex, order, shipment):  # type: ignore[no-untyped-def]
    def record(key: str, shop: Shop) -> IdempotencyRecord:
        return IdempotencyRecord(
            shop_id=shop.id, operation="upsertOrder", key=key, request_hash="x", expires_at=NOW
        )

    return [record("k1", acme), record("k1", acme)], [record("k1", globex), record("k2", acme)]


CASES: dict[str, Case] = {
    "shop slug": _slug,
    "order number per shop": _order_number,
    "external id per shop": _external_id,
    "tracking number per order": _tracking_number,
    "event external id per shipment": _event_external_id,
    "event sequence per order": _event_sequence,
    "api key secret hash": _api_key_hash,
    "order token hash": _token_hash,
    "one open claim per shipment and reason": _open_claim,
    "idempotency key per shop and operation": _idempotency,
}


@pytest.mark.parametrize("case", CASES.keys())
async def test_duplicate_is_rejected_and_legitimate_rows_accepted(db, case: str) -> None:  # type: ignore[no-untyped-def]
    acme, globex, order, shipment = await _base(db)
    duplicates, allowed = CASES[case](acme, globex, order, shipment)
    await _rejects(db, *duplicates)
    await _accepts(db, *allowed)


async def test_money_is_exact_and_datetimes_come_back_utc(db) -> None:  # type: ignore[no-untyped-def]
    _, _, order, _ = await _base(db)
    async with db.writer() as session:
        row = await session.get(Order, order.id)
        assert row is not None
        row.total_order_price = Decimal("19.9900")
        row.discount_price = Decimal("0.0001")
        await session.commit()
    async with db.reader() as session:
        fresh = await session.get(Order, order.id)
    assert fresh is not None
    assert fresh.total_order_price == Decimal("19.99")
    assert fresh.discount_price == Decimal("0.0001")
    assert fresh.order_placed_at == NOW
    assert fresh.order_placed_at.tzinfo is not None
    assert isinstance(fresh.id, uuid.UUID)
