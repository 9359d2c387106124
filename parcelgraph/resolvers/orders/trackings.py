"""Attaching trackings to an order in memory: drafts fulfilled in place, carriers, contents.

A tracking number already on the order updates that shipment (idempotent re-sends write
nothing and record nothing); a new forward tracking turns the next draft into a fulfilled
shipment keeping its id, or adds a shipment when no draft is left; a return tracking always
adds a shipment. Package contents are checked against the order's products: unknown skus
and more units across packages than were ordered are refused.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from parcelgraph.domain import carriers
from parcelgraph.domain.enums import Direction
from parcelgraph.domain.errors import Issue
from parcelgraph.domain.tracking_schedule import TrackingState
from parcelgraph.models import Shipment
from parcelgraph.resolvers.common.event_log import NewEvent
from parcelgraph.resolvers.orders import events as order_events
from parcelgraph.resolvers.orders.aggregate import OrderAggregate, Row, new_row
from parcelgraph.resolvers.orders.inputs import (
    MAX_SHIPMENTS,
    PackageItemInput,
    TrackingInput,
)
from parcelgraph.resolvers.orders.rules import validate_tracking

FORWARD = Direction.MERCHANT_CUSTOMER.value
Path = tuple[str | int, ...]


def new_shipment(aggregate: OrderAggregate, *, now: datetime, direction: str = FORWARD) -> Row:
    """A draft shipment row at the next position, registered as new on the aggregate."""
    position = max((s["position"] for s in aggregate.shipments), default=0) + 1
    row = new_row(
        Shipment,
        shop_id=aggregate.order["shop_id"],
        order_id=aggregate.id,
        position=position,
        direction=direction,
        created_at=now,
        updated_at=now,
    )
    aggregate.shipments.append(row)
    aggregate.contents[row["id"]] = []
    aggregate.changes.new_shipments.add(row["id"])
    return row


def _allocated_elsewhere(aggregate: OrderAggregate, shipment_id: uuid.UUID) -> dict[Any, int]:
    totals: dict[Any, int] = {}
    for shipment in aggregate.shipments:
        if shipment["id"] == shipment_id or shipment["direction"] != FORWARD:
            continue
        for item in aggregate.contents.get(shipment["id"], []):
            totals[item["line_item_id"]] = totals.get(item["line_item_id"], 0) + item["quantity"]
    return totals


def _item_row(shipment_id: uuid.UUID, line: Row, quantity: int) -> Row:
    return {
        "id": uuid.uuid4(),
        "shipment_id": shipment_id,
        "line_item_id": line["id"],
        "sku": line["sku"],
        "quantity": quantity,
    }


def plan_contents(
    aggregate: OrderAggregate,
    shipment: Row,
    items: Sequence[PackageItemInput] | None,
    path: Path,
) -> tuple[list[Row], list[Issue]]:
    """The shipment's new contents, or the issues that refuse them.

    `items` None means the rest of the whole order (forward) or nothing known (return).
    """
    forward = shipment["direction"] == FORWARD
    elsewhere = _allocated_elsewhere(aggregate, shipment["id"]) if forward else {}
    if items is None:
        if not forward:
            return [], []
        rows = []
        for line in aggregate.line_items:
            left = line["quantity"] - elsewhere.get(line["id"], 0)
            if line["parent_id"] is None and left > 0:
                rows.append(_item_row(shipment["id"], line, left))
        return rows, []
    by_sku: dict[str, Row] = {}
    for line in aggregate.line_items:
        if line["sku"] is not None:
            by_sku.setdefault(line["sku"], line)
    wanted: dict[Any, int] = {}
    issues: list[Issue] = []
    for i, item in enumerate(items):
        if item.quantity < 1:
            # Every path that sets contents (upsert trackings, updateShipment) gets here.
            issues.append(
                Issue("VALUE_OUT_OF_RANGE", "Must be at least 1.", (*path, i, "quantity"))
            )
            continue
        line = by_sku.get(item.sku)
        if line is None:
            issues.append(
                Issue(
                    "UNKNOWN_PRODUCT",
                    f"No product with sku {item.sku!r} on this order.",
                    (*path, i, "sku"),
                )
            )
            continue
        wanted[line["id"]] = wanted.get(line["id"], 0) + item.quantity
        if elsewhere.get(line["id"], 0) + wanted[line["id"]] > line["quantity"]:
            issues.append(
                Issue(
                    "QUANTITY_EXCEEDS_ORDER",
                    f"The order has {line['quantity']} of {item.sku!r}; "
                    f"{elsewhere.get(line['id'], 0)} are in other packages already.",
                    (*path, i, "quantity"),
                )
            )
    lines = {line["id"]: line for line in aggregate.line_items}
    return [_item_row(shipment["id"], lines[lid], qty) for lid, qty in wanted.items()], issues


def set_contents(aggregate: OrderAggregate, shipment: Row, rows: list[Row]) -> bool:
    """Replace a shipment's contents; True when they differ from before."""
    key = lambda r: (r["line_item_id"], r["quantity"])  # noqa: E731
    before = sorted(map(key, aggregate.contents.get(shipment["id"], [])), key=str)
    if before == sorted(map(key, rows), key=str):
        return False
    aggregate.contents[shipment["id"]] = rows
    aggregate.changes.contents.add(shipment["id"])
    return True


def _carrier_fields(
    tracking: TrackingInput, country_code: str | None, path: Path
) -> tuple[dict[str, Any], list[Issue]]:
    try:
        chosen = carriers.choose_carrier(
            tracking.tracking_number,
            tracking_company=tracking.tracking_company,
            country_code=country_code,
            carrier_reference=tracking.carrier_reference,
        )
    except carriers.UnknownCarrier:
        message = f"{tracking.carrier_reference!r} is not a carrier code of the registry."
        return {}, [Issue("CARRIER_REFERENCE_INVALID", message, (*path, "carrierReference"))]
    if chosen is None:
        return {"carrier_reference": None, "carrier_confidence": None, "carrier_reason": None}, []
    return {
        "carrier_reference": chosen.code,
        "carrier_confidence": chosen.confidence,
        "carrier_reason": "; ".join(reason.message for reason in chosen.reasons),
    }, []


def _tracking_values(
    tracking: TrackingInput, carrier: dict[str, Any], *, existing: bool
) -> dict[str, Any]:
    """Column values a tracking sets; on an existing shipment only what was given."""
    values: dict[str, Any] = {}
    if tracking.carrier_reference is not None or tracking.tracking_company is not None:
        values.update(carrier)
        values["tracking_company"] = tracking.tracking_company
    elif not existing:
        values.update(carrier)
    for name in ("tracking_url", "tracking_placed_at", "external_shipment_id"):
        if getattr(tracking, name) is not None:
            values[name] = getattr(tracking, name)
    url_missing = values.get("tracking_url") is None and not existing
    if url_missing and values.get("carrier_reference"):
        values["tracking_url"] = carriers.tracking_url(
            values["carrier_reference"], tracking.tracking_number
        )
    return values


def attach(
    aggregate: OrderAggregate,
    trackings: Sequence[TrackingInput],
    *,
    now: datetime,
    fresh: set[uuid.UUID],
    prefix: Path = ("trackings",),
) -> tuple[list[Issue], list[NewEvent]]:
    """Attach `trackings` to the aggregate in memory; returns issues and events.

    `fresh` holds drafts created in this same call and not announced yet: fulfilling one
    starts its journey at order_processed directly (placed and fulfilled at once).
    """
    issues: list[Issue] = []
    events: list[NewEvent] = []
    country = (aggregate.order.get("address") or {}).get("country_code")
    for i, tracking in enumerate(trackings):
        path = (*prefix, i)
        found = validate_tracking(tracking, path)
        carrier, carrier_issues = _carrier_fields(tracking, country, path)
        issues += found + carrier_issues
        if found or carrier_issues:
            continue
        number = tracking.tracking_number.strip()
        shipment = next((s for s in aggregate.shipments if s["tracking_number"] == number), None)
        if shipment is not None:
            issues += _update_existing(aggregate, shipment, tracking, carrier, path, now, events)
            continue
        shipment = _next_shipment(aggregate, tracking.direction, now=now)
        if shipment is None:
            issues.append(
                Issue(
                    "TOO_MANY_SHIPMENTS", f"An order has at most {MAX_SHIPMENTS} shipments.", path
                )
            )
            continue
        shipment.update(_tracking_values(tracking, carrier, existing=False))
        shipment["tracking_number"] = number
        shipment["tracking_placed_at"] = tracking.tracking_placed_at or now
        schedule_first_check(shipment, now)
        aggregate.touch_shipment(shipment, now)
        aggregate.changes.fulfilled.add(shipment["id"])
        rows, content_issues = plan_contents(
            aggregate, shipment, tracking.products, (*path, "products")
        )
        issues += content_issues
        set_contents(aggregate, shipment, rows)
        # A draft announced nowhere yet starts its journey at order_processed directly.
        is_new = shipment["last_event_at"] is None
        fresh.discard(shipment["id"])
        events.append(
            order_events.record(shipment, order_events.FULFILLED, occurred_at=now, new=is_new)
        )
    return issues, events


def schedule_first_check(shipment: Row, now: datetime) -> None:
    """A new tracking (or a new carrier for it) is due at the carrier poller at once; the
    poller then says whether it can follow it (its state starts ACTIVE)."""
    shipment.update(
        tracking_state=TrackingState.ACTIVE.value, tracking_error=None, next_check_at=now,
        poll_failures=0, not_found_count=0, tracking_digest=None,
    )  # fmt: skip


def _next_shipment(aggregate: OrderAggregate, direction: str, *, now: datetime) -> Row | None:
    if direction == FORWARD:
        for shipment in aggregate.shipments:
            if shipment["tracking_number"] is None and shipment["direction"] == FORWARD:
                return shipment
    if len(aggregate.shipments) >= MAX_SHIPMENTS:
        return None
    return new_shipment(aggregate, now=now, direction=direction)


def _update_existing(
    aggregate: OrderAggregate,
    shipment: Row,
    tracking: TrackingInput,
    carrier: dict[str, Any],
    path: Path,
    now: datetime,
    events: list[NewEvent],
) -> list[Issue]:
    """A re-sent tracking number: change only what differs; record one note if anything did."""
    values = _tracking_values(tracking, carrier, existing=True)
    changed = sorted(k for k, value in values.items() if shipment.get(k) != value)
    shipment.update(values)
    issues: list[Issue] = []
    if tracking.products is not None:
        rows, issues = plan_contents(aggregate, shipment, tracking.products, (*path, "products"))
        if set_contents(aggregate, shipment, rows):
            changed.append("products")
    if changed and not issues:
        if "carrier_reference" in changed:
            schedule_first_check(shipment, now)
        aggregate.touch_shipment(shipment, now)
        events.append(
            order_events.note(
                order_id=aggregate.id,
                occurred_at=now,
                action="shipment_updated",
                shipment=shipment,
                data={"fields": changed},
            )
        )
    return issues
