"""Run a compiled plan: the batched reads, then the response built straight from rows.

The builder produces the same `data` the executor would: the same keys in the same order,
each scalar through the schema's own serializer after the conversion the type's `from_row`
applies. Whatever would make the executor report an error (a null in a non-null field, a
value the serializer refuses, a caller the `order` field does not allow) raises
`Unsupported` instead, and the request runs through normal execution, which reports it.
"""

from typing import Any

from strawberry.relay import GlobalID

from parcelgraph.auth import ApiKeyPrincipal, CustomerPrincipal
from parcelgraph.domain.enums import Role
from parcelgraph.resolvers.orders import compiled_reads as reads
from parcelgraph.schema.orders.compiled_plan import Leaf, Level, Plan, Unsupported

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1  # GraphQL's Int


def allowed(context: Any) -> bool:
    """The `order` field's permission (viewers and customers), without raising."""
    principal = getattr(context, "principal", None)
    if isinstance(principal, ApiKeyPrincipal):
        return principal.role.allows(Role.VIEWER)
    return isinstance(principal, CustomerPrincipal) and context.shop is not None


async def run(plan: Plan, context: Any, variables: dict[str, Any]) -> dict[str, Any]:
    """The response `data` of `order(orderNumber:)` (raises Unsupported to fall back)."""
    if not allowed(context):
        raise Unsupported("the caller needs the normal path's permission error")
    number = plan.order_number(variables)
    customer = context.customer
    async with context.reader() as session:
        order = await reads.order_by_number(
            session,
            shop_id=context.shop_id,
            order_number=number,
            only_order_id=customer.order_id if customer else None,
            columns=plan.order.columns("id", "order_number"),  # two or more: rows, not scalars
        )
        if order is None:
            return {plan.order.key: None}
        lists = await read_lists(session, plan.order, [order.id])
    return {plan.order.key: build_order(plan.order, order, lists)}


async def read_lists(session: Any, order: Level, order_ids: list[Any]) -> dict[str, Any]:
    """Shipments, events and package contents of the orders, one statement each, only if
    selected (however many orders): shipments grouped by order, the rest by shipment."""
    found: dict[str, Any] = {}
    shipments = _child(order, "shipments")
    if shipments is None or not order_ids:
        return found
    # One order's shipments are all its own; a page's are told apart by their order_id.
    always = (
        ("id", "tracking_number") if len(order_ids) == 1 else ("id", "tracking_number", "order_id")
    )
    rows = await reads.shipments_of(session, order_ids, shipments.columns(*always))
    found["shipments"] = (
        {order_ids[0]: rows} if len(order_ids) == 1 else _group_by(rows, "order_id")
    )
    events = _child(shipments, "events")
    if events is not None and rows:
        always = ("shipment_id", "id") if _wants_id(events) else ("shipment_id",)
        found["events"] = _group(
            await reads.events_of(session, [r.id for r in rows], events.columns(*always))
        )
    if _child(shipments, "products") is not None and rows:
        found["products"] = _group(await reads.shipment_contents_of(session, order_ids))
    return found


def build_order(level: Level, row: Any, lists: dict[str, Any]) -> dict[str, Any]:
    """One order's response object (`lists` from `read_lists` of its orders)."""
    built = _leaves(level, row, "Order")
    shipments = _child(level, "shipments")
    if shipments is None:
        return built
    events = _child(shipments, "events")
    contents = _child(shipments, "products")
    result = []
    for shipment in lists["shipments"].get(row.id, ()):
        item = _leaves(shipments, shipment, "Shipment")
        if events is not None:
            found = lists.get("events", {}).get(shipment.id, [])
            item[events.key] = [_leaves(events, e, "Event") for e in found]
        if contents is not None:
            found = lists.get("products", {}).get(shipment.id, [])
            item[contents.key] = [_content(contents, c) for c in found]
        result.append(_ordered(shipments, item))
    built[shipments.key] = result
    return _ordered(level, built)


def _leaves(level: Level, row: Any, type_name: str) -> dict[str, Any]:
    built: dict[str, Any] = {}
    for leaf in level.leaves:
        if leaf.field == "id":
            value: Any = GlobalID(type_name, str(row.id))
        elif leaf.field == "isDraft":
            value = row.tracking_number is None
        else:
            value = getattr(row, leaf.column)  # type: ignore[arg-type]
        built[leaf.key] = _serialize(leaf, value)
    return built


def _content(level: Level, row: Any) -> dict[str, Any]:
    _shipment_id, item_sku, line_sku, title, quantity = row
    values = {"sku": item_sku or line_sku, "title": title, "quantity": quantity}
    return {leaf.key: _serialize(leaf, values[leaf.field]) for leaf in level.leaves}


def _serialize(leaf: Leaf, value: Any) -> Any:
    if value is None:
        if leaf.non_null:
            raise Unsupported(f"null in non-null {leaf.field}")
        return None
    if type(value) is leaf.plain and (leaf.plain is not int or _INT_MIN <= value <= _INT_MAX):
        return value
    if leaf.convert is not None:
        value = leaf.convert(value)
    try:
        serialized = leaf.serialize(value)
    except Exception as error:  # the executor would report it: let it
        raise Unsupported(f"{leaf.field} does not serialize") from error
    if serialized is None:
        raise Unsupported(f"{leaf.field} serialized to null")
    return serialized


def _ordered(level: Level, built: dict[str, Any]) -> dict[str, Any]:
    """The keys in the document's order (leaves and lists may interleave)."""
    return {key: built[key] for key in level.order}


def _child(level: Level, field: str) -> Level | None:
    return next((c for c in level.children if c.field == field), None)


def _wants_id(level: Level) -> bool:
    return any(leaf.field == "id" for leaf in level.leaves)


def _group_by(rows: list[Any], column: str) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, column), []).append(row)
    return grouped


def _group(rows: list[Any]) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    return grouped
