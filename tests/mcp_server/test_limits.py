"""The same cost limit and per-key rate limit as GraphQL, with the same coded refusals."""

import pytest
from sqlmodel import select

from parcelgraph.models import Order
from tests.mcp_server.support import NEW_ORDER, call, refused
from tests.support import Caller

EXPENSIVE = "{ orders(first: 100) { edges { node { shipments { events { id } } } } } }"


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"rate_limit_capacity": 30, "rate_limit_restore_per_second": 1.0, "max_query_cost": 50}


async def test_a_query_over_the_cost_limit_is_refused_alike(mcp_connect, viewer: Caller) -> None:
    graphql = await viewer.execute(EXPENSIVE)

    async with mcp_connect(viewer.slug, viewer.authorization) as session:
        errors = await refused(session, "graphql_query", {"query": EXPENSIVE})

    [expected] = graphql["errors"]
    assert expected["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert [(e["code"], e["message"]) for e in errors] == [
        ("MAX_COST_EXCEEDED", expected["message"])
    ]


def _order(number: str) -> dict:
    return {**NEW_ORDER, "id": number, "order": {**NEW_ORDER["order"], "orderNumber": number}}


async def _numbers(db) -> list[str]:
    async with db.reader() as session:
        return sorted((await session.exec(select(Order.order_number))).all())


async def test_the_key_budget_is_shared_with_graphql(
    mcp_connect, editor: Caller, db, clock
) -> None:
    # a write costs what its GraphQL twin would: 1 for the payload + 11 for the order view
    async with mcp_connect(editor.slug, editor.authorization) as session:
        await call(session, "upsert_order", _order("1001"))
        await call(session, "upsert_order", _order("1002"))
        errors = await refused(session, "upsert_order", _order("1003"))
        refused_numbers = await _numbers(db)
        graphql = await editor.post('{ order(orderNumber: "1001") { shipments { id } } }')
        clock.advance(seconds=60)
        done = await call(session, "upsert_order", _order("1003"))

    [throttled] = errors
    assert (throttled["code"], throttled["cost"], throttled["retryAfterSeconds"]) == (
        "THROTTLED",
        12,
        6,
    )
    assert throttled["message"] == (
        "Throttled: this query costs 12 points and 6 are available; retry in 6 s."
    )
    assert refused_numbers == ["1001", "1002"]
    # the same bucket: GraphQL sees what the MCP calls left (30 - 12 - 12), minus its own 2
    cost = graphql.json()["extensions"]["cost"]
    assert (cost["requestedQueryCost"], cost["throttleStatus"]["currentlyAvailable"]) == (2, 4)
    assert done["order"]["orderNumber"] == "1003"
    assert await _numbers(db) == ["1001", "1002", "1003"]
