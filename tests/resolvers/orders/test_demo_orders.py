"""The demo seeder: one order in every state, and running it twice changes nothing."""

from sqlmodel import select

from parcelgraph.models import Order
from parcelgraph.resolvers import shops
from parcelgraph.resolvers.orders import demo
from tests.schema.orders.order_mutations import table_counts


async def test_seeds_every_state_once(db, clock) -> None:
    async with db.writer() as session:
        shop = await shops.create(session, slug="demo", now=clock())
        await session.commit()

    notes = await demo.seed_orders(db, shop, clock)
    counts = await table_counts(db)
    again = await demo.seed_orders(db, shop, clock)

    assert notes == again
    assert await table_counts(db) == counts
    async with db.reader() as session:
        states = {o.order_number: o.state for o in (await session.exec(select(Order))).all()}
    assert states == {
        "DEMO-1001": "PLACED",
        "DEMO-1002": "PARTIALLY_FULFILLED",
        "DEMO-1003": "FULFILLED",
        "DEMO-1004": "FULFILLED",
        "DEMO-1005": "CANCELLED",
    }
