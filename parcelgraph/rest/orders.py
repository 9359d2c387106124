"""Order operations of REST v1: search, place, upsert, bulk fulfilment.

Thin: each unpacks its request model into the use case's input, runs the same use case as
the GraphQL mutation in one write transaction, and answers with the stored order read back
as a v1 order detail. Refusals leave as the error envelope (`EnvelopeRoute`).
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, Query
from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.context import Context
from parcelgraph.domain.errors import Rejected
from parcelgraph.resolvers import orders
from parcelgraph.resolvers.events import ArrivalPolicy
from parcelgraph.resolvers.orders import bulk
from parcelgraph.resolvers.orders import queries as order_queries
from parcelgraph.rest.access import Editor, EnvelopeRoute, Viewer
from parcelgraph.rest.errors import from_rejected, issue_items, status_and_key
from parcelgraph.rest.operations import PageNumber, numbered_page, transaction, write
from parcelgraph.rest.order_models import OrderIn, UpsertIn, analytics_input, utc
from parcelgraph.rest.order_views import OrderOut, details
from parcelgraph.rest.responses import COMMON, WITH_CONFLICT, ErrorItem

router = APIRouter(route_class=EnvelopeRoute, tags=["orders"])
ORDERS = "/v1/shops/{slug}/orders"

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Retry safely: the same key and body within 24 h replays the first answer.",
        max_length=200,
    ),
]


async def read_back(context: Context, rows: list[Any]) -> list[OrderOut]:
    """Orders as v1 order details, read after the write committed."""
    async with context.db.reader() as session:
        return await details(session, context.shop, rows)


async def order_detail(context: Context, result: orders.OrderResult) -> OrderOut:
    """The order a committed write changed, read back as a v1 order detail."""
    return (await read_back(context, [result.order]))[0]


async def written_order(
    context: Context, use_case: Callable[..., Awaitable[orders.OrderResult]], /, **inputs: Any
) -> OrderOut:
    """The order `use_case` wrote (through `write`), read back as a v1 order detail."""
    return await order_detail(context, await write(context, use_case, **inputs))


@router.get(
    ORDERS,
    summary="Search orders",
    description="The shop's orders, newest placed first, with their shipments (`trackings`). "
    "Every filter given must match; pages are numbered from 1.",
    responses=COMMON,
)
async def search_orders(
    context: Viewer,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(gt=0, le=100, description="Orders per page, 1..100.")] = 30,
    email_id: Annotated[str | None, Query(description="Customer e-mail (any case).")] = None,
    external_id: Annotated[str | None, Query(description="The shop system's id.")] = None,
    order_name: Annotated[str | None, Query(description="Display name.")] = None,
    order_number: Annotated[str | None, Query(description="Order number.")] = None,
    uuid_: Annotated[UUID | None, Query(alias="uuid", description="Order uuid.")] = None,
    zip_code: Annotated[str | None, Query(description="Delivery zip code.")] = None,
    order_placed_from: Annotated[
        datetime | None, Query(description="Placed at or after (ISO 8601).")
    ] = None,
    order_placed_to: Annotated[datetime | None, Query(description="Placed before.")] = None,
    shipment_updated_since: Annotated[
        datetime | None, Query(description="A shipment changed at or after this time.")
    ] = None,
) -> list[OrderOut]:
    where = order_queries.OrderFilter(
        email=email_id,
        external_id=external_id,
        order_name=order_name,
        order_number=order_number,
        order_ids=[uuid_] if uuid_ else [],
        zip_code=zip_code,
        placed_from=utc(order_placed_from),
        placed_to=utc(order_placed_to),
        shipment_updated_since=utc(shipment_updated_since),
    )
    return await numbered_page(
        context,
        order_queries.select_orders(shop_id=context.shop_id, where=where),
        order_queries.SORTS["PLACED_AT_DESC"],
        page=page,
        per_page=per_page,
        views=lambda session, rows: details(session, context.shop, rows),
    )


@router.post(
    ORDERS,
    summary="Place order",
    description="Create an order with its expected packages (drafts, no tracking yet). An "
    "order number that exists already changes nothing and answers 409 `order_exists`.",
    status_code=201,
    responses=WITH_CONFLICT,
)
async def place_order(
    context: Editor, body: OrderIn, idempotency_key: IdempotencyKey = None
) -> OrderOut:
    try:
        result = await write(
            context,
            orders.place,
            order=body.to_input(),
            idempotency_key=idempotency_key,
            arrival=ArrivalPolicy.from_settings(context.settings),
        )
    except Rejected as rejected:
        return from_rejected(rejected, drop=1)  # type: ignore[return-value]
    if result.duplicate:
        raise Rejected.one("ORDER_EXISTS", "An order with this order number exists already.")
    return await order_detail(context, result)


@router.put(
    ORDERS,
    summary="Upsert order",
    description="Create or update the order named by `id`/`id_type` and attach `trackings` "
    "(idempotent by tracking number). Without `order` the order must exist.",
    responses=WITH_CONFLICT,
)
async def upsert_order(
    context: Editor, body: UpsertIn, idempotency_key: IdempotencyKey = None
) -> OrderOut:

    async def upsert(session: AsyncSession) -> orders.OrderResult:
        result = await orders.upsert(
            session,
            shop=context.shop,
            input=body.to_input(),
            now=context.now(),
            idempotency_key=idempotency_key,
            arrival=ArrivalPolicy.from_settings(context.settings),
        )
        if body.order is None and body.order_analytics:
            # v1 sends attribution beside `id` without an `order`: it joins the order found.
            result = await orders.upsert_analytics(
                session,
                shop=context.shop,
                ref=orders.OrderRef(str(result.order.id)),
                analytics=analytics_input(body.order_analytics),
                now=context.now(),
            )
        return result

    return await order_detail(context, await transaction(context, upsert))


class BulkItemOut(BaseModel):
    """The outcome of one item of a bulk call."""

    index: int = Field(description="Position of the item in the request array.")
    status: int = Field(description="200 when applied, else the status the item alone got.")
    order: OrderOut | None = Field(None, description="The order; null when refused.")
    key: str | None = Field(None, description="Why it was refused (error key); null on success.")
    errors: list[ErrorItem] = Field(default_factory=list, description="Every problem found.")


@router.put(
    ORDERS + "/bulk",
    summary="Bulk fulfilment",
    description="Up to the server's batch limit (1,000 by default) upserts in one call; "
    "each item succeeds or fails on its own and gets its own result, in request order. "
    "More items: 422 `batch_too_large`, nothing written.",
    responses=COMMON,
)
async def bulk_fulfil(context: Editor, body: list[UpsertIn]) -> list[BulkItemOut]:
    results = await write(
        context,
        bulk.fulfill,
        items=[item.to_input() for item in body],
        max_items=context.settings.bulk_max_items,
        arrival=ArrivalPolicy.from_settings(context.settings),
    )
    applied = [r.order for r in results if r.order is not None]
    views = iter(await read_back(context, applied))
    out = []
    for r in results:
        if r.order is not None:
            out.append(BulkItemOut(index=r.index, status=200, order=next(views)))
            continue
        status, key = status_and_key(r.issues[0].code)
        items = issue_items(r.issues, prefix=(r.index,))
        out.append(BulkItemOut(index=r.index, status=status, key=key, errors=items))
    return out
