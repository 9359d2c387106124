"""A read request uses ONE database connection: the key check, the root field, every batch."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, update

from parcelgraph.context import RequestReads
from parcelgraph.models import Order
from tests.schema.orders.test_order_query import TRACKING_PAGE, _tracked_order
from tests.support import basic

ORDERS_PAGE = """
query { orders(first: 10) { edges { node { orderNumber products { sku }
  shipments { trackingNumber events { eventName } products { sku quantity } } } } } }
"""


@contextmanager
def count_checkouts(db, returned: list[int] | None = None) -> Iterator[list[int]]:  # type: ignore[no-untyped-def]
    """How many times a connection is taken from any of the app's engines (and, into
    `returned`, given back)."""
    taken = [0]
    returned = returned if returned is not None else [0]

    def on_checkout(*_args: object) -> None:
        taken[0] += 1

    def on_checkin(*_args: object) -> None:
        returned[0] += 1

    engines = [engine.sync_engine for engine in db.engines]
    for engine in engines:
        event.listen(engine, "checkout", on_checkout)
        event.listen(engine, "checkin", on_checkin)
    try:
        yield taken
    finally:
        for engine in engines:
            event.remove(engine, "checkout", on_checkout)
            event.remove(engine, "checkin", on_checkin)


async def test_the_tracking_page_reads_through_one_connection(shop, factory, db) -> None:
    # given an order with two parcels, products and events
    await _tracked_order(factory)

    # when the tracking page (root field + shipments, products, events batches) is read
    with count_checkouts(db) as taken:
        data = await shop.data(TRACKING_PAGE, {"number": "1001"})

    # then one connection served the API-key check and the whole query
    assert data["order"]["orderNumber"] == "1001"
    assert taken == [1]


async def test_a_nested_page_of_orders_reads_through_one_connection(shop, factory, db) -> None:
    for number in ("1001", "1002"):
        await _tracked_order(factory, number=number)

    with count_checkouts(db) as taken:
        data = await shop.data(ORDERS_PAGE)

    assert sorted(e["node"]["orderNumber"] for e in data["orders"]["edges"]) == ["1001", "1002"]
    assert taken == [1]


async def test_a_refused_key_gives_its_connection_back(shop, db) -> None:
    # given a request with a wrong secret
    intruder = shop.as_(basic("acme-admin", "pgk_wrong"))

    # when it is refused
    returned = [0]
    with count_checkouts(db, returned) as taken:
        response = await intruder.post("{ shop { name } }")

    # then the connection its key check took went back to the pool
    assert response.status_code == 401
    assert taken == [1]
    assert returned == [1]


async def test_a_later_turn_sees_a_write_committed_in_between(shop, factory, db) -> None:
    # given an order read through a request's shared session
    order = await _tracked_order(factory)
    reads = RequestReads(db)
    try:
        async with reads.session() as session:
            first = await session.get(Order, order.id)
        assert first is not None and first.state == "PLACED"

        # when the same request commits a change through the writer
        async with db.writer() as writer:
            await writer.exec(update(Order).where(Order.id == order.id).values(state="CANCELLED"))
            await writer.commit()

        # then its next read sees the stored row, not the first read's object
        async with reads.session() as session:
            again = await session.get(Order, order.id)
        assert again is not None and again.state == "CANCELLED"
    finally:
        await reads.close()
