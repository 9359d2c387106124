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
from parcelgraph.domain.errors import Issue
from parcelgraph.domain.tracking_schedule import TrackingState
from parcelgraph.resolvers.common.event_log import NewEvent
from parcelgraph.resolvers.orders import events as order_events
from parcelgraph.resolvers.orders.aggregate import FORWARD, OrderAggregate, Path, Row
from parcelgraph.resolvers.orders.inputs import MAX_SHIPMENTS, TrackingInput


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
        carrier, carrier_issues = _carrier_fields(tracking, country, path)
        if carrier_issues:
            issues += carrier_issues
            continue
        number = tracking.tracking_number.strip()
        shipment = next((s for s in aggregate.shipments if s["tracking_number"] == number), None)
        if shipment is not None:
            issues += _update_existing(aggregate, shipment, tracking, carrier, path, now, events)
        else:
            issues += _fulfil(aggregate, tracking, carrier, path, now, fresh, events)
    return issues, events


def _fulfil(
    aggregate: OrderAggregate,
    tracking: TrackingInput,
    carrier: dict[str, Any],
    path: Path,
    now: datetime,
    fresh: set[uuid.UUID],
    events: list[NewEvent],
) -> list[Issue]:
    """A new tracking number fulfils the next draft, or a new shipment when none is left."""
    shipment = _next_shipment(aggregate, tracking.direction, now=now)
    if shipment is None:
        message = f"An order has at most {MAX_SHIPMENTS} shipments."
        return [Issue("TOO_MANY_SHIPMENTS", message, path)]
    shipment.update(_tracking_values(tracking, carrier, existing=False))
    shipment["tracking_number"] = tracking.tracking_number.strip()
    shipment["tracking_placed_at"] = tracking.tracking_placed_at or now
    schedule_first_check(shipment, now)
    aggregate.touch_shipment(shipment, now)
    aggregate.changes.fulfilled.add(shipment["id"])
    rows, issues = aggregate.plan_contents(shipment, tracking.products, (*path, "products"))
    aggregate.set_contents(shipment, rows)
    # A draft announced nowhere yet starts its journey at order_processed directly.
    is_new = shipment["last_event_at"] is None
    fresh.discard(shipment["id"])
    events.append(
        order_events.record(shipment, order_events.FULFILLED, occurred_at=now, new=is_new)
    )
    return issues


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
        rows, issues = aggregate.plan_contents(shipment, tracking.products, (*path, "products"))
        if aggregate.set_contents(shipment, rows):
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


def _next_shipment(aggregate: OrderAggregate, direction: str, *, now: datetime) -> Row | None:
    if direction == FORWARD:
        for shipment in aggregate.shipments:
            if shipment["tracking_number"] is None and shipment["direction"] == FORWARD:
                return shipment
    if len(aggregate.shipments) >= MAX_SHIPMENTS:
        return None
    return aggregate.new_shipment(now=now, direction=direction)


def schedule_first_check(shipment: Row, now: datetime) -> None:
    """A new tracking (or a new carrier for it) is due at the carrier poller at once; the
    poller then says whether it can follow it (its state starts ACTIVE)."""
    shipment.update(
        tracking_state=TrackingState.ACTIVE.value, tracking_error=None, next_check_at=now,
        poll_failures=0, not_found_count=0, tracking_digest=None,
    )  # fmt: skip


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
