"""What a new claim names: its order, its shipment, and the units of the shipment it selects.

Each lookup reports what it cannot find as coded issues (with the input's field path)
instead of raising, so `claims.create` can report every problem of a request together.
A customer (order token) reaches their own order only; any other is answered as missing.
"""

import uuid
from collections.abc import Sequence

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.errors import Issue
from parcelgraph.models import LineItem, Order, Shipment, ShipmentItem, Shop
from parcelgraph.resolvers.claims.inputs import ClaimInput
from parcelgraph.resolvers.common.reads import first_by_key


async def find_order(
    session: AsyncSession, shop: Shop, claim: ClaimInput, customer_order_id: uuid.UUID | None
) -> tuple[Order | None, list[Issue]]:
    """The order the claim names (a customer's claim defaults to their order)."""
    if claim.order_id is not None and claim.order_number is not None:
        return None, [Issue("INVALID_INPUT", "Give orderId or orderNumber, not both.", ())]
    if claim.order_id is None and claim.order_number is None:
        if customer_order_id is None:
            return None, [Issue("REQUIRED", "Name the order: orderId or orderNumber.", ())]
        claim.order_id = customer_order_id  # a customer's claim defaults to their order
    where = "orderId" if claim.order_id is not None else "orderNumber"
    keys = ((Order.id, claim.order_id), (Order.order_number, claim.order_number))
    # A customer reaches their own order only; any other is answered as not existing.
    order = await first_by_key(session, Order, keys, shop_id=shop.id, order_id=customer_order_id)
    if order is None:
        return None, [Issue("ORDER_NOT_FOUND", "No such order in this shop.", (where,))]
    return order, []


async def find_shipment(
    session: AsyncSession, order: Order, claim: ClaimInput
) -> tuple[Shipment | None, list[Issue]]:
    """The order's shipment the claim names, by id or tracking number."""
    if claim.shipment_id is not None and claim.tracking_number is not None:
        return None, [Issue("INVALID_INPUT", "Give shipmentId or trackingNumber, not both.", ())]
    stmt = select(Shipment).where(Shipment.order_id == order.id)
    if claim.shipment_id is not None:
        stmt, where = stmt.where(Shipment.id == claim.shipment_id), "shipmentId"
    elif claim.tracking_number is not None:
        stmt = stmt.where(Shipment.tracking_number == claim.tracking_number)
        where = "trackingNumber"
    else:
        return None, [Issue("REQUIRED", "Name the shipment: shipmentId or trackingNumber.", ())]
    shipment = (await session.exec(stmt)).first()
    if shipment is None:
        message = "No such shipment on this order."
        return None, [Issue("SHIPMENT_NOT_FOUND", message, (where,))]
    return shipment, []


async def contents(session: AsyncSession, shipment: Shipment) -> dict[str, tuple[int, uuid.UUID]]:
    """Units per sku in the shipment, with the line item they belong to.

    A shipment without recorded contents holds the whole order.
    """
    stmt = (
        select(ShipmentItem, LineItem)
        .join(LineItem, LineItem.id == ShipmentItem.line_item_id)
        .where(ShipmentItem.shipment_id == shipment.id)
    )
    pairs = [
        (item.sku or line.sku, item.quantity, line.id) for item, line in await all(session, stmt)
    ]
    if not pairs:
        lines = await all(session, select(LineItem).where(LineItem.order_id == shipment.order_id))
        pairs = [(line.sku, line.quantity, line.id) for line in lines]
    contents: dict[str, tuple[int, uuid.UUID]] = {}
    for sku, quantity, line_id in pairs:
        if sku is None:
            continue
        held, first_line = contents.get(sku, (0, line_id))
        contents[sku] = (held + quantity, first_line)
    return contents


async def all(session: AsyncSession, stmt: object) -> Sequence:  # type: ignore[type-arg]
    return (await session.exec(stmt)).all()  # type: ignore[call-overload]


def item_issues(claim: ClaimInput, contents: dict[str, tuple[int, uuid.UUID]]) -> list[Issue]:
    """Selected products the shipment does not hold, or not that many of."""
    issues: list[Issue] = []
    selected: dict[str, int] = {}
    for i, item in enumerate(claim.selected_items):
        if item.sku not in contents:
            message = f"No product with sku {item.sku!r} in this shipment."
            issues.append(Issue("UNKNOWN_PRODUCT", message, ("selectedItems", i, "sku")))
            continue
        if item.quantity < 1:
            continue  # reported by the static checks already
        held = contents[item.sku][0]
        selected[item.sku] = selected.get(item.sku, 0) + item.quantity
        if selected[item.sku] > held:
            message = f"The shipment holds {held} of {item.sku!r}; {selected[item.sku]} selected."
            issues.append(
                Issue("QUANTITY_EXCEEDS_SHIPMENT", message, ("selectedItems", i, "quantity"))
            )
    return issues
