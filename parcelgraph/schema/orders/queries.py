"""Root fields `order` (by id, order number or external id) and `orders` (filtered list)."""

from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import Select

from parcelgraph.context import Context
from parcelgraph.resolvers.orders import queries as orders
from parcelgraph.schema.common.args import lookup
from parcelgraph.schema.common.connection import ListQuery, list_query, shop_list
from parcelgraph.schema.common.enums import OrderStateEnum, PhaseEnum
from parcelgraph.schema.common.sorts import OrderSortEnum
from parcelgraph.schema.orders.types import OrderConnection, OrderType


@strawberry.input(description="Narrow the orders list. Every given condition must hold.")
class OrderFilter:
    """Conditions on orders; omitted ones do not filter."""

    states: list[OrderStateEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Orders in any of these states."
    )
    shipment_phases: list[PhaseEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Orders with at least one shipment in any of these phases."
    )
    placed_from: datetime | None = strawberry.field(
        default=None, description="Placed at or after this time (orderPlacedAt >= placedFrom)."
    )
    placed_to: datetime | None = strawberry.field(
        default=None, description="Placed before this time (orderPlacedAt < placedTo)."
    )
    updated_from: datetime | None = strawberry.field(
        default=None, description="Changed at or after this time (updatedAt >= updatedFrom)."
    )
    updated_to: datetime | None = strawberry.field(
        default=None, description="Changed before this time (updatedAt < updatedTo)."
    )
    email: str | None = strawberry.field(
        default=None, description="The customer's email address (exact, case-insensitive)."
    )
    search: str | None = strawberry.field(
        default=None,
        description="What a customer tells support: an order number, an order name or a "
        "tracking number of one of its shipments (exact, case-insensitive).",
    )

    def to_filter(self) -> orders.OrderFilter:
        """The resolvers' filter."""
        return orders.OrderFilter(
            states=[s.value for s in self.states or []],
            shipment_phases=[p.value for p in self.shipment_phases or []],
            placed_from=self.placed_from,
            placed_to=self.placed_to,
            updated_from=self.updated_from,
            updated_to=self.updated_to,
            email=self.email,
            search=self.search,
        )


@strawberry.type
class OrderQuery:
    """Root fields that read orders."""

    order = lookup(
        OrderType,
        orders.find,
        type_name="Order",
        id_key="order_id",
        description="One order, by exactly one of its keys; null when no order of this shop "
        "(visible to the caller) has it. A customer token reaches only its own order.",
        id="The order's global id.",
        order_number="The shop's order number.",
        external_id="The shop system's id for the order.",
    )

    @shop_list(
        OrderConnection,
        node=OrderType,
        default_sort=OrderSortEnum.PLACED_AT_DESC,
        sorts=orders.SORTS,
    )
    def orders(context: Context, filter: OrderFilter | None) -> Select[Any]:
        """The shop's orders, filtered and sorted (newest first by default). Empty for
        customer tokens."""
        return _select_orders(context, filter)


def _select_orders(context: Context, filter: OrderFilter | None) -> Select[Any]:
    where = filter.to_filter() if filter else orders.OrderFilter()
    return orders.select_orders(shop_id=context.shop_id, where=where)


def order_list(context: Any, filter: OrderFilter | None, sort: Any) -> ListQuery:
    """The orders the caller may list, filtered and sorted: the field's un-paged query.

    The compiled orders page (`compiled_page_run`) builds its page from this same query.
    """
    return list_query(context, _select_orders, filter, orders.SORTS[sort.value])
