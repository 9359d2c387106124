"""Webhook envelopes: built once per event, in the event's transaction.

The body is a snapshot of the order at the moment of the event, so a delivery retried
hours later still tells the receiver what was true then. One SELECT per context table
covers every event of the batch (claim items only when the batch has claim events).

Keys follow the documented envelope: `source`, `ref`, `version`, `triggered_at`,
`event_group`, `event_data`, `context` (`order`, `customer`, `shipments`, `claims`),
`shop_slug`, plus ours: `id` (stable event id), `sequence` (per order, gap-free) and
`position` (global cursor).
"""

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Claim, ClaimItem, Event, Order, Shipment, Shop

ENVELOPE_VERSION = 1


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _money(value: Any) -> str | None:
    return None if value is None else format(value, "f")


def order_context(order: Order) -> dict[str, Any]:
    """The `context.order` part: the order without personal data."""
    return {
        "id": str(order.id),
        "order_number": order.order_number,
        "order_name": order.order_name,
        "external_id": order.external_id,
        "order_placed_at": _iso(order.order_placed_at),
        "state": order.state,
        "currency": order.currency,
        "total_order_price": _money(order.total_order_price),
        "sub_total_price": _money(order.sub_total_price),
        "shipping_price": _money(order.shipping_price),
        "discount_price": _money(order.discount_price),
        "expected_number_of_shipments": order.expected_number_of_shipments,
        "segments": order.segments,
    }


def customer_context(order: Order) -> dict[str, Any]:
    """The `context.customer` part: who to notify and where the parcel goes."""
    address = order.address or {}
    return {"email": order.email, "name": address.get("name"), "address": address or None}


def shipment_context(shipment: Shipment) -> dict[str, Any]:
    """One entry of `context.shipments`."""
    return {
        "id": str(shipment.id),
        "position": shipment.position,
        "is_draft": shipment.tracking_number is None,
        "tracking_number": shipment.tracking_number,
        "tracking_url": shipment.tracking_url,
        "carrier_reference": shipment.carrier_reference,
        "direction": shipment.direction,
        "phase": shipment.phase,
        "estimated_arrival_earliest": _iso(shipment.estimated_arrival_earliest),
        "estimated_arrival_latest": _iso(shipment.estimated_arrival_latest),
    }


def claim_context(claim: Claim) -> dict[str, Any]:
    """One entry of `context.claims`."""
    return {
        "id": str(claim.id),
        "shipment_id": str(claim.shipment_id),
        "reason": claim.reason,
        "status": claim.status,
        "resolution_preference": claim.resolution_preference,
        "created_at": _iso(claim.created_at),
    }


def claim_item_data(item: ClaimItem) -> dict[str, Any]:
    """One entry of a claim's `selected_items`."""
    return {
        "sku": item.sku,
        "title": item.title,
        "quantity": item.quantity,
        "net_price": _money(item.net_price),
        "image_urls": list(item.image_urls),
    }


def claim_event_data(
    event: Event, claim: Claim | None, items: Sequence[ClaimItem]
) -> dict[str, Any]:
    """A claim event's `event_data`: the claim as it is at this event.

    `event_name` is the action of the ref (`created` / `updated`). Extra facts the claim
    use case put on the event (e.g. the previous status) are kept, never overriding these.
    """
    data: dict[str, Any] = {
        "claim_id": str(event.claim_id) if event.claim_id else None,
        "event_name": event.ref.rsplit("/", 1)[-1],
        "event_group": event.event_group,
    }
    if claim is not None:
        data.update(
            shipment_id=str(claim.shipment_id),
            created_at=_iso(claim.created_at),
            updated_at=_iso(claim.updated_at),
            status=claim.status,
            reason=claim.reason,
            resolution_preference=claim.resolution_preference,
            description=claim.description,
            selected_items=[claim_item_data(i) for i in items],
            image_urls=list(claim.image_urls),
            optional_image_urls=list(claim.optional_image_urls),
            customer_signature_image_url=claim.customer_signature_image_url,
        )
    return {**data, **{k: v for k, v in event.data.items() if k not in data}}


def shipment_event_data(event: Event, shipment: Shipment | None) -> dict[str, Any]:
    """A shipment event's `event_data`: the tracking facts, plus location and carrier
    message and code where known."""
    data: dict[str, Any] = {
        "shipment_id": str(event.shipment_id) if event.shipment_id else None,
        "tracking_number": shipment.tracking_number if shipment else None,
        "tracking_url": shipment.tracking_url if shipment else None,
        "carrier_reference": shipment.carrier_reference if shipment else None,
        "event_name": event.event_name,
        "phase": event.phase,
        "direction": event.direction,
        "updated_at": _iso(event.occurred_at),
    }
    if event.location:
        data["location"] = event.location
    if event.message:
        data["carrier_message"] = event.message
    if event.raw_code:
        data["carrier_code"] = event.raw_code
    return {**data, **{k: v for k, v in event.data.items() if k not in data}}


async def _claim_items(
    session: AsyncSession, events: Sequence[Event]
) -> dict[uuid.UUID, list[ClaimItem]]:
    claim_ids = list({e.claim_id for e in events if e.source == "claims" and e.claim_id})
    if not claim_ids:
        return {}
    stmt = select(ClaimItem).where(ClaimItem.claim_id.in_(claim_ids)).order_by(ClaimItem.sku)  # type: ignore[attr-defined]
    items: dict[uuid.UUID, list[ClaimItem]] = {}
    for item in (await session.exec(stmt)).all():
        items.setdefault(item.claim_id, []).append(item)
    return items


def dumps(envelope: dict[str, Any]) -> str:
    """Compact JSON: the exact bytes every delivery of the event sends."""
    return json.dumps(envelope, separators=(",", ":"), default=str)


@dataclass(frozen=True)
class _Snapshot:
    """The batch's orders with their shipments, claims and claim items, as they are now."""

    orders: dict[uuid.UUID, Order]
    shipments: dict[uuid.UUID, list[Shipment]]
    claims: dict[uuid.UUID, list[Claim]]
    items: dict[uuid.UUID, list[ClaimItem]]


async def build(session: AsyncSession, *, shop: Shop, events: Sequence[Event]) -> dict[int, str]:
    """Envelope bodies (JSON text) by event position."""
    snapshot = await _snapshot(session, events)
    return {event.position: dumps(_envelope(shop, event, snapshot)) for event in events}  # type: ignore[misc]


async def _snapshot(session: AsyncSession, events: Sequence[Event]) -> _Snapshot:
    order_ids = list({e.order_id for e in events})
    orders = {
        o.id: o
        for o in (await session.exec(select(Order).where(Order.id.in_(order_ids)))).all()  # type: ignore[attr-defined]
    }
    shipments_by_order: dict[uuid.UUID, list[Shipment]] = {}
    stmt = select(Shipment).where(Shipment.order_id.in_(order_ids)).order_by(Shipment.position)  # type: ignore[attr-defined]
    for s in (await session.exec(stmt)).all():
        shipments_by_order.setdefault(s.order_id, []).append(s)
    claims_by_order: dict[uuid.UUID, list[Claim]] = {}
    stmt_c = select(Claim).where(Claim.order_id.in_(order_ids)).order_by(Claim.created_at)  # type: ignore[attr-defined]
    for c in (await session.exec(stmt_c)).all():
        claims_by_order.setdefault(c.order_id, []).append(c)
    items = await _claim_items(session, events)
    return _Snapshot(orders, shipments_by_order, claims_by_order, items)


def _envelope(shop: Shop, event: Event, snapshot: _Snapshot) -> dict[str, Any]:
    order = snapshot.orders[event.order_id]
    shipments = snapshot.shipments.get(event.order_id, [])
    claims = snapshot.claims.get(event.order_id, [])
    if event.source == "claims":
        claim = next((c for c in claims if c.id == event.claim_id), None)
        data = claim_event_data(event, claim, snapshot.items.get(event.claim_id, []))  # type: ignore[arg-type]
    else:
        shipment = next((s for s in shipments if s.id == event.shipment_id), None)
        data = shipment_event_data(event, shipment)
    return {
        "id": str(event.id),
        "source": event.source,
        "ref": event.ref,
        "version": ENVELOPE_VERSION,
        "triggered_at": _iso(event.occurred_at),
        "event_group": event.event_group,
        "event_data": data,
        "context": {
            "order": order_context(order),
            "customer": customer_context(order),
            "shipments": [shipment_context(s) for s in shipments],
            "claims": [claim_context(c) for c in claims],
        },
        "shop_slug": shop.slug,
        "sequence": event.sequence,
        "position": event.position,
    }
