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
    columns = plan.order.columns("id", "order_number")  # two or more: rows, not scalars
    async with context.reader() as session:
        order = await reads.order_by_number(
            session,
            shop_id=context.shop_id,
            order_number=number,
            only_order_id=customer.order_id if customer else None,
            columns=columns,
        )
        if order is None:
            return {plan.order.key: None}
        lists = await read_lists(session, plan.order, [order[0]])
    return {plan.order.key: build_order(plan.order, plan.order.slots(columns), order, lists)}


async def read_lists(session: Any, order: Level, order_ids: list[Any]) -> dict[str, Any]:
    """Shipments, events and package contents of the orders, one statement each, only if
    selected (however many orders): shipments grouped by order, the rest by shipment, each
    with the slots of its leaves (`Level.slots`). Every row starts with its own id
    (shipments; a page's shipments then hold their order's id third) or its shipment's
    (events, contents)."""
    found: dict[str, Any] = {}
    shipments = _child(order, "shipments")
    if shipments is None or not order_ids:
        return found
    single = len(order_ids) == 1  # one order's shipments are all its own
    columns = shipments.columns("id", "tracking_number", *(() if single else ("order_id",)))
    rows = await reads.shipments_of(session, order_ids, columns)
    grouped = {order_ids[0]: rows} if single else _group(rows, 2)
    found["shipments"] = (grouped, shipments.slots(columns))
    events = _child(shipments, "events")
    if events is not None and rows:
        columns = events.columns("shipment_id", *(("id",) if _wants_id(events) else ()))
        found_rows = await reads.events_of(session, [r[0] for r in rows], columns)
        found["events"] = (_group(found_rows, 0), events.slots(columns))
    if _child(shipments, "products") is not None and rows:
        found_rows = await reads.shipment_contents_of(session, order_ids)
        found["products"] = (_group(found_rows, 0), ())
    return found


def build_order(
    level: Level, slots: tuple[int, ...], row: Any, lists: dict[str, Any]
) -> dict[str, Any]:
    """One order's response object: `row` holds `level`'s columns at `slots`, its id
    first; `lists` comes from `read_lists` of its orders."""
    built = _leaves(level, slots, row, "Order")
    shipments = _child(level, "shipments")
    if shipments is None:
        return built
    by_order, shipment_slots = lists["shipments"]
    # Each nested list in the document's order: (level, rows by shipment, slots, is events).
    nested = [(c, *lists.get(c.field, ({}, ())), c.field == "events") for c in shipments.children]
    result = []
    for shipment in by_order.get(row[0], ()):
        item = _leaves(shipments, shipment_slots, shipment, "Shipment")
        for child, by_shipment, child_slots, is_events in nested:
            found = by_shipment.get(shipment[0], ())
            item[child.key] = (
                [_leaves(child, child_slots, e, "Event") for e in found]
                if is_events
                else [_content(child, c) for c in found]
            )
        result.append(_ordered(shipments, item))
    built[shipments.key] = result
    return _ordered(level, built)


def _leaves(level: Level, slots: tuple[int, ...], row: Any, type_name: str) -> dict[str, Any]:
    built: dict[str, Any] = {}
    for leaf, slot in zip(level.leaves, slots, strict=True):
        value: Any = row[slot]
        if leaf.column is not None:
            native = leaf.plain  # the common case, inline: thousands of leaves per page
            if type(value) is native and (native is not int or _INT_MIN <= value <= _INT_MAX):
                built[leaf.key] = value
                continue
        elif leaf.field == "id":
            value = GlobalID(type_name, str(value))
        else:  # isDraft: no tracking number yet
            value = value is None
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
    if level.leaves_first:
        return built
    return {key: built[key] for key in level.order}


def _child(level: Level, field: str) -> Level | None:
    return next((c for c in level.children if c.field == field), None)


def _wants_id(level: Level) -> bool:
    return any(leaf.field == "id" for leaf in level.leaves)


def _group(rows: list[Any], slot: int) -> dict[Any, list[Any]]:
    """Rows by the value at `slot` (their parent's id), in their order."""
    grouped: dict[Any, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row[slot], []).append(row)
    return grouped
