"""`orders`: filters, sorts, keyset pagination both ways, cursor checks, statement counts."""

from datetime import UTC, datetime, timedelta

from tests.factories import Item
from tests.support import count_statements

T0 = datetime(2026, 11, 1, tzinfo=UTC)
H = timedelta(hours=1)

NUMBERS = """
query ($filter: OrderFilter, $sort: OrderSort, $first: Int, $after: String,
       $last: Int, $before: String) {
  orders(filter: $filter, sort: $sort, first: $first, after: $after, last: $last,
         before: $before) {
    edges { cursor node { orderNumber } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


def numbers(data: dict) -> list[str]:
    return [e["node"]["orderNumber"] for e in data["orders"]["edges"]]


async def _orders(factory, count: int, start: int = 0) -> list:  # type: ignore[no-untyped-def]
    shop = await factory.shop("acme")
    return [
        await factory.order(shop, f"{n:04d}", placed_at=T0 + n * H)
        for n in range(start, start + count)
    ]


async def test_newest_first_by_default(shop, factory) -> None:
    await _orders(factory, 3)
    assert numbers(await shop.data(NUMBERS)) == ["0002", "0001", "0000"]
    data = await shop.data(NUMBERS, {"sort": "PLACED_AT_ASC"})
    assert numbers(data) == ["0000", "0001", "0002"]


async def test_forward_pages_with_inserts_in_between(shop, factory) -> None:
    # given 5 orders, read 2 at a time, oldest first
    await _orders(factory, 5)
    variables = {"sort": "PLACED_AT_ASC", "first": 2}
    page1 = await shop.data(NUMBERS, variables)
    # when orders are added before and after the cursor between two requests
    shop_row = await factory.shop("acme")
    await factory.order(shop_row, "early", placed_at=T0 - H)
    await factory.order(shop_row, "late", placed_at=T0 + 100 * H)
    page2 = await shop.data(
        NUMBERS, {**variables, "after": page1["orders"]["pageInfo"]["endCursor"]}
    )
    page3 = await shop.data(
        NUMBERS, {**variables, "after": page2["orders"]["pageInfo"]["endCursor"]}
    )
    page4 = await shop.data(
        NUMBERS, {**variables, "after": page3["orders"]["pageInfo"]["endCursor"]}
    )

    # then every page continues exactly where the last one ended: no duplicates, no gaps
    assert numbers(page1) == ["0000", "0001"]
    assert numbers(page2) == ["0002", "0003"]
    assert numbers(page3) == ["0004", "late"]
    assert numbers(page4) == []
    assert page1["orders"]["pageInfo"]["hasNextPage"] is True
    assert page1["orders"]["pageInfo"]["hasPreviousPage"] is False
    assert page2["orders"]["pageInfo"]["hasPreviousPage"] is True
    assert page3["orders"]["pageInfo"]["hasNextPage"] is False


async def test_backward_pages_with_inserts_in_between(shop, factory) -> None:
    # given 5 orders, newest first, read from the end backwards
    await _orders(factory, 5)
    page1 = await shop.data(NUMBERS, {"last": 2})
    assert numbers(page1) == ["0001", "0000"]
    assert page1["orders"]["pageInfo"]["hasPreviousPage"] is True
    assert page1["orders"]["pageInfo"]["hasNextPage"] is False
    # when a newer order arrives, and one with the same placement time as the cursor row
    shop_row = await factory.shop("acme")
    await factory.order(shop_row, "newest", placed_at=T0 + 50 * H)
    page2 = await shop.data(
        NUMBERS, {"last": 2, "before": page1["orders"]["pageInfo"]["startCursor"]}
    )
    page3 = await shop.data(
        NUMBERS, {"last": 2, "before": page2["orders"]["pageInfo"]["startCursor"]}
    )
    # then the pages join up without duplicates or gaps
    assert numbers(page2) == ["0003", "0002"]
    assert numbers(page3) == ["newest", "0004"]
    assert page3["orders"]["pageInfo"]["hasPreviousPage"] is False
    assert page2["orders"]["pageInfo"]["hasNextPage"] is True


async def test_equal_sort_keys_are_split_by_id(shop, factory) -> None:
    # given 5 orders placed at the same instant: the id breaks the tie
    shop_row = await factory.shop("acme")
    for n in range(5):
        await factory.order(shop_row, f"same{n}", placed_at=T0)
    seen: list[str] = []
    after = None
    while True:
        data = await shop.data(NUMBERS, {"first": 2, "after": after})
        seen += numbers(data)
        if not data["orders"]["pageInfo"]["hasNextPage"]:
            break
        after = data["orders"]["pageInfo"]["endCursor"]
    assert sorted(seen) == [f"same{n}" for n in range(5)]
    assert len(seen) == 5


async def test_page_size_limits_and_cursor_checks(shop, factory) -> None:
    await _orders(factory, 2)
    too_many = await shop.execute(NUMBERS, {"first": 101})
    assert too_many["errors"][0]["extensions"]["code"] == "VALUE_OUT_OF_RANGE"
    both = await shop.execute(NUMBERS, {"first": 1, "last": 1})
    assert both["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    garbage = await shop.execute(NUMBERS, {"after": "not-a-cursor"})
    assert garbage["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    cursor = (await shop.data(NUMBERS, {"first": 1}))["orders"]["pageInfo"]["endCursor"]
    other_sort = await shop.execute(NUMBERS, {"after": cursor, "sort": "UPDATED_AT_DESC"})
    assert other_sort["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert numbers(await shop.data(NUMBERS, {"first": 0})) == []


async def test_default_page_is_100(shop, factory, settings_overrides) -> None:
    await _orders(factory, 101)
    data = await shop.data(NUMBERS)
    assert len(data["orders"]["edges"]) == 100
    assert data["orders"]["pageInfo"]["hasNextPage"] is True


async def test_filters(shop, factory, clock) -> None:
    # given orders that differ in every filtered property
    shop_row = await factory.shop("acme")
    placed = await factory.order(
        shop_row,
        "1001",
        placed_at=T0,
        updated_at=T0,
        email="Ada@Example.com",
        order_name="IXF1001",
    )
    shipped = await factory.order(
        shop_row, "1002", placed_at=T0 + 24 * H, state="FULFILLED", updated_at=T0 + 48 * H
    )
    parcel = await factory.shipment(shipped, tracking_number="00340434 1234", carrier="dhl")
    await factory.events(parcel, "DEPARTURE_FROM_TRANSPORT_HUB")
    await factory.order(
        shop_row, "1003", placed_at=T0 + 48 * H, updated_at=T0 + 48 * H, state="CANCELLED"
    )
    assert placed

    async def only(filter_: dict) -> list[str]:
        return sorted(numbers(await shop.data(NUMBERS, {"filter": filter_})))

    assert await only({"states": ["FULFILLED", "CANCELLED"]}) == ["1002", "1003"]
    assert await only({"shipmentPhases": ["IN_TRANSIT"]}) == ["1002"]
    assert await only({"shipmentPhases": ["DELIVERED"]}) == []
    assert await only({"placedFrom": (T0 + 24 * H).isoformat()}) == ["1002", "1003"]
    assert await only({"placedTo": (T0 + 24 * H).isoformat()}) == ["1001"]
    assert await only({"updatedFrom": (T0 + 48 * H).isoformat()}) == ["1002", "1003"]
    assert await only({"updatedTo": (T0 + 48 * H).isoformat()}) == ["1001"]
    assert await only({"email": "ada@example.COM"}) == ["1001"]
    assert await only({"search": "1003"}) == ["1003"]
    assert await only({"search": "ixf1001"}) == ["1001"]
    assert await only({"search": "003404341234"}) == ["1002"]
    assert await only({"search": "nothing"}) == []
    assert await only({"states": ["PLACED"], "email": "ada@example.com"}) == ["1001"]


async def test_total_count(shop, factory) -> None:
    await _orders(factory, 3)
    data = await shop.data("{ orders(first: 1, filter: {states: [PLACED]}) { totalCount } }")
    assert data == {"orders": {"totalCount": 3}}


LIST_PAGE = """
{
  orders(first: 100) {
    edges { node {
      orderNumber state
      products { sku }
      shipments { trackingNumber phase latestEvent { eventName } products { quantity } }
    } }
  }
}
"""


async def test_statement_count_does_not_depend_on_page_size(shop, factory, db) -> None:
    # given orders with a parcel, products and events, read at 1, 10 and 100 orders
    shop_row = await factory.shop("acme")
    counts = []
    made = 0
    for size in (1, 10, 100):
        while made < size:
            order = await factory.order(
                shop_row,
                f"{made:04d}",
                placed_at=T0 + made * H,
                products=[Item("A", "a"), Item("B", "b")],
            )
            parcel = await factory.shipment(order, tracking_number=f"T{made}", carrier="dhl")
            await factory.events(parcel, "DEPARTURE_FROM_TRANSPORT_HUB", "OUT_FOR_DELIVERY")
            made += 1
        with count_statements(db) as counter:
            data = await shop.data(LIST_PAGE)
        assert len(data["orders"]["edges"]) == size
        counts.append(counter.count)

    # then: auth + orders page + shipments + products + latest events = 5, at every size
    assert counts == [5, 5, 5]


async def test_order_events_connection_is_batched_across_orders(shop, factory, db) -> None:
    shop_row = await factory.shop("acme")
    for n in range(3):
        order = await factory.order(shop_row, f"{n}", placed_at=T0 + n * H)
        parcel = await factory.shipment(order, tracking_number=f"T{n}")
        await factory.events(
            parcel, "DEPARTURE_FROM_TRANSPORT_HUB", "OUT_FOR_DELIVERY", "SUCCESSFULLY_DELIVERED"
        )
    query = """{ orders(sort: PLACED_AT_ASC) { edges { node { orderNumber
        events(first: 2) {
          totalCount edges { node { eventName } } pageInfo { hasNextPage endCursor }
        } } } } }"""

    with count_statements(db) as counter:
        data = await shop.data(query)

    # auth + orders + one windowed statement for all orders' event pages + 3 counts
    assert counter.count == 6
    first = data["orders"]["edges"][0]["node"]["events"]
    assert [e["node"]["eventName"] for e in first["edges"]] == [
        "SUCCESSFULLY_DELIVERED",
        "OUT_FOR_DELIVERY",
    ]
    assert first["totalCount"] == 3
    assert first["pageInfo"]["hasNextPage"] is True
    rest = await shop.data(
        """query ($after: String) { order(orderNumber: "0") {
            events(first: 2, after: $after) {
              edges { node { eventName } } pageInfo { hasNextPage }
            } } }""",
        {"after": first["pageInfo"]["endCursor"]},
    )
    assert rest["order"]["events"] == {
        "edges": [{"node": {"eventName": "DEPARTURE_FROM_TRANSPORT_HUB"}}],
        "pageInfo": {"hasNextPage": False},
    }
