"""The compiled orders page answers byte for byte like normal execution.

Every document runs twice over HTTP, with the compiled path switched on and off, for an
admin and a viewer key of a shop, a customer's token, no credentials and the admin key of
another shop whose orders sit in the same tables; status, the authentication challenge and
the body's bytes must be equal. The documents are the benchmark's Q2, the test suite's read
documents the page plan accepts, seeded combinations of selections and arguments
(`page_documents`), and shapes the compiled path must leave to normal execution.
"""

import itertools
from datetime import timedelta

import pytest
from graphql import parse

from parcelgraph.domain.enums import Direction
from parcelgraph.schema.orders.compiled_context import Switch, plan_for
from parcelgraph.schema.orders.compiled_page_plan import PagePlan
from scripts.bench.bodies import Q2
from tests.factories import Item
from tests.schema.orders import page_documents
from tests.schema.orders.test_compiled_reads import Q1_LISTS, _both, suite_documents
from tests.support import count_statements

GENERATED = page_documents.generated(75)


def _has_page_plan(document: str) -> bool:
    from parcelgraph.schema.root import schema

    return isinstance(plan_for(schema._schema, parse(document).definitions[0]), PagePlan)


SUITE = [d for d in suite_documents() if _has_page_plan(d)]


async def _acme(factory, clock):  # type: ignore[no-untyped-def]
    """Six orders of acme: parcels with events and bundles, a draft, none, a tie in time."""
    shop = await factory.shop("acme")
    start = clock() - timedelta(days=3)
    bundle = [
        Item("MUG", "Mug", 2, "12.50"),
        Item("BOX", "Box", 1, "30", parts=[Item("TEA", "Tea")]),
    ]
    first = await factory.order(
        shop, "2001", placed_at=start, email="ada@example.com", products=bundle,
        state="PARTIALLY_FULFILLED", expected_shipments=3,
    )  # fmt: skip
    parcel = await factory.shipment(
        first, tracking_number="00340434", carrier="dhl", contents=[("MUG", 2)]
    )
    await factory.shipment(first, tracking_number="1Z999", carrier="ups", contents=[("BOX", 1)])
    await factory.shipment(first, direction=Direction.CUSTOMER_MERCHANT)
    await factory.events(parcel, "DEPARTURE_FROM_TRANSPORT_HUB", "OUT_FOR_DELIVERY")
    second = await factory.order(
        shop, "2002", placed_at=start + timedelta(hours=1), state="FULFILLED"
    )
    delivered = await factory.shipment(second, tracking_number="JJD01")
    await factory.events(delivered, "OUT_FOR_DELIVERY", "SUCCESSFULLY_DELIVERED")
    await factory.order(shop, "2003", placed_at=start + timedelta(hours=2), order_name="IXF3")
    tie = start + timedelta(hours=3)  # two orders placed at once: the id breaks the tie
    for number in ("2004", "2005"):
        order = await factory.order(
            shop, number, placed_at=tie, updated_at=clock() - timedelta(hours=int(number[-1]))
        )
        await factory.shipment(order)
    await factory.order(shop, "2006", placed_at=start + timedelta(hours=4), state="CANCELLED")
    return first


async def _globex(factory, make_shop, clock):  # type: ignore[no-untyped-def]
    """Another tenant's orders, newer than acme's and matching the same filters."""
    caller = await make_shop("globex")
    shop = await factory.shop("globex")
    for number in ("2003", "9001"):
        order = await factory.order(
            shop, number, placed_at=clock(), email="ada@example.com", state="FULFILLED"
        )
        parcel = await factory.shipment(order, tracking_number=f"G{number}")
        await factory.events(parcel, "OUT_FOR_DELIVERY", "SUCCESSFULLY_DELIVERED")
    return caller


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    """A budget no comparison runs out of: a THROTTLED answer would compare nothing."""
    return {"rate_limit_capacity": 10_000_000}


@pytest.fixture
async def callers(shop, viewer, factory, make_shop, clock):  # type: ignore[no-untyped-def]
    first = await _acme(factory, clock)
    other = await _globex(factory, make_shop, clock)
    return {
        "admin": shop,
        "viewer": viewer,
        "token": shop.as_(await factory.token(first)),
        "anonymous": shop.as_(None),
        "other-tenant": other,
    }


async def _variables(caller, monkeypatch):  # type: ignore[no-untyped-def]
    """Values for every variable the documents declare; cursors from the normal path."""
    monkeypatch.setattr(Switch, "enabled", False)
    cursors = await caller.data("{ orders(first: 3) { edges { cursor } } }")
    after, _, before = (edge["cursor"] for edge in cursors["orders"]["edges"])
    return {
        "first": 3, "after": after, "before": before, "sort": "PLACED_AT_ASC",
        "filter": {"states": ["PLACED", "FULFILLED"], "placedTo": "2030-01-01T00:00:00Z"},
    }  # fmt: skip


def _declared(document: str, values: dict[str, object]) -> dict[str, object]:
    return {name: value for name, value in values.items() if f"${name}" in document}


async def test_compiled_and_normal_pages_are_identical(callers, monkeypatch) -> None:
    # given six orders of acme, two of another shop, and five callers
    values = await _variables(callers["admin"], monkeypatch)
    bogus = {**values, "after": "bm9wZQ"}
    documents = [Q2, *SUITE, *GENERATED, *page_documents.FIXED, *page_documents.REFUSED]
    served, compared = Switch.served, 0
    for (name, caller), document, variables in itertools.product(
        callers.items(), documents, (values, bogus)
    ):
        if variables is bogus and "$after" not in document:
            continue
        # when each document runs through both paths
        compiled, normal = await _both(
            caller, document, _declared(document, variables), monkeypatch
        )
        # then the answers are the same bytes
        assert compiled == normal, (name, document, variables)
        compared += 1
    # and the comparison covered the compiled path: the suite's page documents, every
    # argument shape, and the callers the page serves (anonymous callers fall back)
    assert len(SUITE) == 5
    assert len(documents) == 1 + len(SUITE) + 75 + 3 + len(page_documents.REFUSED)
    assert compared == 5 * (len(documents) + sum("$after" in d for d in documents))
    assert Switch.served - served >= 4 * (1 + len(SUITE) + 60)


async def test_pages_hold_only_the_callers_orders(callers) -> None:
    # given orders numbered 2003 in both shops, and pages asked for by each caller
    document = (
        "{ orders { totalCount edges { node { orderNumber shipments { trackingNumber } } } } }"
    )
    served = Switch.served
    # when each caller reads the whole list through the compiled path
    pages = {
        name: await callers[name].data(document) for name in ("admin", "token", "other-tenant")
    }
    # then each sees its own shop's orders only, newest first; a customer sees none
    numbers = {
        name: [e["node"]["orderNumber"] for e in page["orders"]["edges"]]
        for name, page in pages.items()
    }
    assert numbers["admin"][0] == "2006"
    assert sorted(numbers["admin"][1:3]) == ["2004", "2005"]  # placed at once
    assert numbers["admin"][3:] == ["2003", "2002", "2001"]
    assert sorted(numbers["other-tenant"]) == ["2003", "9001"]
    assert pages["token"] == {"orders": {"totalCount": 0, "edges": []}}
    assert pages["admin"]["orders"]["totalCount"] == 6
    tracking = [
        s["trackingNumber"]
        for e in pages["other-tenant"]["orders"]["edges"]
        for s in e["node"]["shipments"]
    ]
    assert sorted(tracking) == ["G2003", "G9001"]
    assert Switch.served == served + 3


async def test_q2_takes_the_compiled_path_in_five_statements_at_any_page_size(
    shop, factory, clock, db
) -> None:
    # given 100 orders, each with a parcel holding its product, every tenth with events
    acme = await factory.shop("acme")
    for index in range(100):
        order = await factory.order(
            acme, f"{3000 + index}", placed_at=clock() - timedelta(minutes=index)
        )
        parcel = await factory.shipment(order, tracking_number=f"T{index}")
        if index % 10 == 0:
            await factory.events(parcel, "OUT_FOR_DELIVERY")
    shapes = []
    for first in (10, 50, 100):
        served = Switch.served
        # when the benchmark's Q2 asks for a page of `first` orders
        with count_statements(db) as counted:
            body = await shop.data(Q2, {"first": first})
        # then the compiled path answered it with every order of the page
        assert Switch.served == served + 1
        assert len(body["orders"]["edges"]) == first
        shapes.append([statement.split(" \nWHERE")[0] for statement in counted.statements])
    # and in the same five statements whatever the page size, each selecting only the
    # columns Q2 shows (and the keys that group rows and make cursors)
    assert shapes[0] == shapes[1] == shapes[2]
    assert "FROM shops JOIN api_keys" in shapes[0][0]  # authentication
    assert shapes[0][1:] == [
        "SELECT orders.id, orders.order_placed_at, orders.order_number, orders.state, "
        "orders.total_order_price, orders.currency \nFROM orders",
        "SELECT shipments.id, shipments.tracking_number, shipments.order_id, shipments.phase, "
        "shipments.tracking_company \nFROM shipments",
        *Q1_LISTS,
    ]


async def test_an_empty_shop_gets_the_same_empty_page_from_both_paths(
    shop, make_shop, factory, clock, monkeypatch
) -> None:
    # given a shop without orders beside one with orders
    await _acme(factory, clock)
    empty = await make_shop("empty")
    document = (
        "{ orders(first: 5) { totalCount edges { cursor node { id } } "
        "pageInfo { hasNextPage endCursor } } }"
    )
    served = Switch.served
    # when its page is read through both paths
    compiled, normal = await _both(empty, document, {}, monkeypatch)
    # then both answer the same empty page, the compiled path included
    assert compiled == normal
    assert Switch.served == served + 1
    monkeypatch.setattr(Switch, "enabled", True)
    assert await empty.data(document) == {
        "orders": {
            "totalCount": 0,
            "edges": [],
            "pageInfo": {"hasNextPage": False, "endCursor": None},
        }
    }
