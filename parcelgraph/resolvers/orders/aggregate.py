"""An order aggregate in memory: the order with everything that belongs to it, as rows.

The use cases change plain column dicts on a copy of the aggregate and mark what changed
(`Changes`); `store.save` then writes each kind of change with one statement for the
whole batch. The aggregate derives its own state from its shipments (`refresh_state`), and
a `WorkingSet` finds the aggregates of a batch by any of an order's identifiers.
"""

import copy
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic_core import PydanticUndefined

from parcelgraph.domain.errors import Rejected
from parcelgraph.domain.order_state import PackageFacts, derive
from parcelgraph.models import Order, Shipment

Row = dict[str, Any]


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
    """One order with everything that belongs to it, as plain column dicts."""

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

    def refresh_state(self) -> None:
        """Re-derive the order state from the shipments (the caller marks the row changed)."""
        self.order["state"] = derive(
            expected_number_of_shipments=self.order["expected_number_of_shipments"],
            shipments=[PackageFacts(s["tracking_number"], s["direction"]) for s in self.shipments],
            cancelled=self.order["cancelled_at"] is not None,
        ).value

    def to_order(self) -> Order:
        """A detached Order model of the current values (for payloads)."""
        return Order(**self.order)

    def to_shipment(self, shipment_id: uuid.UUID) -> Shipment:
        """A detached Shipment model of the current values (for payloads)."""
        return Shipment(**self.shipment(shipment_id))


class WorkingSet:
    """The aggregates of one batch, found by any of the order's identifiers."""

    def __init__(self, aggregates: Iterable[OrderAggregate] = ()) -> None:
        self.aggregates: dict[uuid.UUID, OrderAggregate] = {}
        self._keys: dict[tuple[str, str], set[uuid.UUID]] = {}
        for aggregate in aggregates:
            self.put(aggregate)

    @staticmethod
    def _identifiers(aggregate: OrderAggregate) -> list[tuple[str, str]]:
        order = aggregate.order
        keys = [("ORDER_NUMBER", order["order_number"]), ("UUID", str(order["id"]))]
        if order["external_id"]:
            keys.append(("EXTERNAL_ID", order["external_id"]))
        if order["order_name"]:
            keys.append(("ORDER_NAME", order["order_name"]))
        return keys

    def put(self, aggregate: OrderAggregate) -> None:
        """Add or replace an aggregate (after an item succeeded), re-indexing its ids."""
        previous = self.aggregates.get(aggregate.id)
        if previous is not None:
            for key in self._identifiers(previous):
                self._keys.get(key, set()).discard(previous.id)
        self.aggregates[aggregate.id] = aggregate
        for key in self._identifiers(aggregate):
            self._keys.setdefault(key, set()).add(aggregate.id)

    def find(self, id_type: str, value: str) -> OrderAggregate | None:
        """The one order with that identifier, None when there is none.

        Raises Rejected when an order name is shared by several orders.
        """
        key = (id_type, str(uuid.UUID(value)) if id_type == "UUID" else value)
        matches = self._keys.get(key, set())
        if len(matches) > 1:
            raise Rejected.one(
                "INVALID_INPUT",
                f"{len(matches)} orders share that {id_type.lower()}; use another idType.",
                "id",
            )
        return self.aggregates[next(iter(matches))] if matches else None

    def changed(self) -> list[OrderAggregate]:
        """Aggregates with something to write."""
        return [a for a in self.aggregates.values() if a.is_new or a.changes.order]
