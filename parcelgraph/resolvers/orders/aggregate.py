"""An order aggregate in memory: the order with everything that belongs to it, as rows.

The use cases change plain column dicts on a copy of the aggregate and mark what changed
(`Changes`); `store.save` then writes each kind of change with one statement for the
whole batch. The aggregate keeps its own drafts (expected packages not shipped yet) and
package contents, and derives its state from its shipments (`refresh_state`).
"""

import copy
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic_core import PydanticUndefined

from parcelgraph.domain.enums import Direction
from parcelgraph.domain.errors import Issue
from parcelgraph.domain.order_state import PackageFacts, derive
from parcelgraph.models import Order, Shipment
from parcelgraph.resolvers.common.event_log import NewEvent
from parcelgraph.resolvers.orders import events as order_events
from parcelgraph.resolvers.orders.inputs import PackageItemInput

Row = dict[str, Any]
Path = tuple[str | int, ...]

FORWARD = Direction.MERCHANT_CUSTOMER.value


def new_row(model: Any, **values: Any) -> Row:
    """A full column dict for a new row of `model`: given values, else the field defaults.

    Plain dicts instead of model instances: building SQLModel objects costs more than the
    whole rest of a 1,000-item batch.
    """
    row: Row = {}
    for name, info in model.model_fields.items():
        if name in values:
            row[name] = values[name]
        elif info.default_factory is not None:
            row[name] = info.default_factory()  # type: ignore[call-arg]
        else:
            row[name] = None if info.default is PydanticUndefined else info.default
    return row


@dataclass
class Changes:
    """What `save` must write for one aggregate."""

    order: bool = False
    products: bool = False
    discounts: bool = False
    analytics: bool = False
    new_shipments: set[uuid.UUID] = field(default_factory=set)
    shipments: set[uuid.UUID] = field(default_factory=set)
    contents: set[uuid.UUID] = field(default_factory=set)
    removed_shipments: set[uuid.UUID] = field(default_factory=set)
    # Shipments that got their tracking number in this write (they get a first ETA).
    fulfilled: set[uuid.UUID] = field(default_factory=set)


@dataclass
class OrderAggregate:
    """One order with everything that belongs to it, as plain column dicts.

    Its methods are the changes that keep the parts consistent with each other: drafts
    (expected packages not shipped yet), package contents against the ordered products,
    and the order state derived from the shipments.
    """

    order: Row
    line_items: list[Row] = field(default_factory=list)
    discounts: list[Row] = field(default_factory=list)
    analytics: Row | None = None
    shipments: list[Row] = field(default_factory=list)
    contents: dict[uuid.UUID, list[Row]] = field(default_factory=dict)
    is_new: bool = False
    changes: Changes = field(default_factory=Changes)

    @property
    def id(self) -> uuid.UUID:
        """The order's id."""
        return self.order["id"]  # type: ignore[no-any-return]

    def copy(self) -> "OrderAggregate":
        """A deep copy to change tentatively (dropped if the item is refused)."""
        return copy.deepcopy(self)

    def shipment(self, shipment_id: uuid.UUID) -> Row:
        """The shipment row with that id."""
        return next(s for s in self.shipments if s["id"] == shipment_id)

    def touch_shipment(self, row: Row, now: datetime) -> None:
        """Mark an existing shipment changed (new ones are written whole anyway)."""
        row["updated_at"] = now
        if row["id"] not in self.changes.new_shipments:
            self.changes.shipments.add(row["id"])

    # --- drafts: the expected packages not shipped yet --------------------------------

    def new_shipment(self, *, now: datetime, direction: str = FORWARD) -> Row:
        """A draft shipment row at the next position, registered as new on the aggregate."""
        position = max((s["position"] for s in self.shipments), default=0) + 1
        row = new_row(
            Shipment,
            shop_id=self.order["shop_id"],
            order_id=self.id,
            position=position,
            direction=direction,
            created_at=now,
            updated_at=now,
        )
        self.shipments.append(row)
        self.contents[row["id"]] = []
        self.changes.new_shipments.add(row["id"])
        return row

    def announce_drafts(self, fresh: set[uuid.UUID], *, now: datetime) -> list[NewEvent]:
        """ORDER_CREATED for each draft made in this call that no tracking filled."""
        events = []
        for shipment in self.shipments:
            if shipment["id"] in fresh and shipment["tracking_number"] is None:
                events.append(
                    order_events.record(shipment, order_events.PLACED, occurred_at=now, new=True)
                )
        fresh.clear()
        return events

    def set_expected(
        self, expected: int, *, now: datetime, fresh: set[uuid.UUID]
    ) -> list[NewEvent]:
        """Add drafts up to `expected` shipments, or remove surplus drafts (newest first)."""
        self.order["expected_number_of_shipments"] = expected
        forward = [s for s in self.shipments if s["direction"] == FORWARD]
        for _ in range(expected - len(forward)):
            fresh.add(self.new_shipment(now=now)["id"])
        drafts = [s for s in forward if s["tracking_number"] is None]
        surplus = max(0, len(forward) - expected)
        newest = sorted(drafts, key=lambda s: s["position"], reverse=True)[:surplus]
        return [self._remove_draft(draft, now=now) for draft in newest]

    def _remove_draft(self, draft: Row, *, now: datetime) -> NewEvent:
        self.shipments.remove(draft)
        self.contents.pop(draft["id"], None)
        self.changes.contents.discard(draft["id"])
        if draft["id"] in self.changes.new_shipments:
            self.changes.new_shipments.discard(draft["id"])
        else:
            self.changes.shipments.discard(draft["id"])
            self.changes.removed_shipments.add(draft["id"])
        return order_events.note(
            order_id=self.id,
            occurred_at=now,
            action="expected_shipment_removed",
            data={"shipment_id": str(draft["id"]), "position": draft["position"]},
        )

    # --- package contents -----------------------------------------------------------

    def plan_contents(
        self, shipment: Row, items: Sequence[PackageItemInput] | None, path: Path
    ) -> tuple[list[Row], list[Issue]]:
        """The shipment's new contents, or the issues that refuse them.

        `items` None means the rest of the whole order (forward) or nothing known (return).
        """
        forward = shipment["direction"] == FORWARD
        elsewhere = self._allocated_elsewhere(shipment["id"]) if forward else {}
        if items is None:
            return (self._rest_of_order(shipment["id"], elsewhere) if forward else []), []
        by_sku: dict[str, Row] = {}
        for line in self.line_items:
            if line["sku"] is not None:
                by_sku.setdefault(line["sku"], line)
        wanted: dict[Any, int] = {}
        issues: list[Issue] = []
        for i, item in enumerate(items):
            issues += _want(item, by_sku.get(item.sku), elsewhere, wanted, (*path, i))
        lines = {line["id"]: line for line in self.line_items}
        return [_item_row(shipment["id"], lines[lid], qty) for lid, qty in wanted.items()], issues

    def set_contents(self, shipment: Row, rows: list[Row]) -> bool:
        """Replace a shipment's contents; True when they differ from before."""
        key = lambda r: (r["line_item_id"], r["quantity"])  # noqa: E731
        before = sorted(map(key, self.contents.get(shipment["id"], [])), key=str)
        if before == sorted(map(key, rows), key=str):
            return False
        self.contents[shipment["id"]] = rows
        self.changes.contents.add(shipment["id"])
        return True

    def _allocated_elsewhere(self, shipment_id: uuid.UUID) -> dict[Any, int]:
        totals: dict[Any, int] = {}
        for shipment in self.shipments:
            if shipment["id"] == shipment_id or shipment["direction"] != FORWARD:
                continue
            for item in self.contents.get(shipment["id"], []):
                totals[item["line_item_id"]] = (
                    totals.get(item["line_item_id"], 0) + item["quantity"]
                )
        return totals

    def _rest_of_order(self, shipment_id: uuid.UUID, elsewhere: dict[Any, int]) -> list[Row]:
        rows = []
        for line in self.line_items:
            left = line["quantity"] - elsewhere.get(line["id"], 0)
            if line["parent_id"] is None and left > 0:
                rows.append(_item_row(shipment_id, line, left))
        return rows

    # --- state ----------------------------------------------------------------------

    def package_facts(self) -> list[PackageFacts]:
        """What the order-state rules need to know of each shipment."""
        return [PackageFacts(s["tracking_number"], s["direction"]) for s in self.shipments]

    def refresh_state(self) -> None:
        """Re-derive the order state from the shipments (the caller marks the row changed)."""
        self.order["state"] = derive(
            expected_number_of_shipments=self.order["expected_number_of_shipments"],
            shipments=self.package_facts(),
            cancelled=self.order["cancelled_at"] is not None,
        ).value

    def to_order(self) -> Order:
        """A detached Order model of the current values (for payloads)."""
        return Order(**self.order)

    def to_shipment(self, shipment_id: uuid.UUID) -> Shipment:
        """A detached Shipment model of the current values (for payloads)."""
        return Shipment(**self.shipment(shipment_id))


def _want(
    item: PackageItemInput,
    line: Row | None,
    elsewhere: dict[Any, int],
    wanted: dict[Any, int],
    path: Path,
) -> list[Issue]:
    """Add one package item to `wanted` (units per line item); the issues that refuse it."""
    if item.quantity < 1:
        # Every path that sets contents (upsert trackings, updateShipment) gets here.
        return [Issue("VALUE_OUT_OF_RANGE", "Must be at least 1.", (*path, "quantity"))]
    if line is None:
        message = f"No product with sku {item.sku!r} on this order."
        return [Issue("UNKNOWN_PRODUCT", message, (*path, "sku"))]
    wanted[line["id"]] = wanted.get(line["id"], 0) + item.quantity
    if elsewhere.get(line["id"], 0) + wanted[line["id"]] <= line["quantity"]:
        return []
    message = (
        f"The order has {line['quantity']} of {item.sku!r}; "
        f"{elsewhere.get(line['id'], 0)} are in other packages already."
    )
    return [Issue("QUANTITY_EXCEEDS_ORDER", message, (*path, "quantity"))]


def _item_row(shipment_id: uuid.UUID, line: Row, quantity: int) -> Row:
    return {
        "id": uuid.uuid4(),
        "shipment_id": shipment_id,
        "line_item_id": line["id"],
        "sku": line["sku"],
        "quantity": quantity,
    }
