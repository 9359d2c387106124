"""Variables that do not fit their declared types are the client's mistake: graphql-core's
own message, code BAD_USER_INPUT, status per GraphQL over HTTP, nothing run, nothing logged
as unexpected (the log guard in conftest fails the test otherwise). Also the request-level
protocol errors: several operations without operationName, a subscription over plain HTTP."""

from typing import Any

import pytest
from sqlmodel import select

from parcelgraph.models import Order
from tests.factories import Factory
from tests.support import Caller

ORDERS_FIRST = "query($n: Int){ orders(first: $n){ totalCount } }"
UPSERT = "mutation($i: UpsertOrderInput!){ upsertOrder(input: $i){ errors { code } } }"

CASES = [
    (
        ORDERS_FIRST,
        {"n": "abc"},
        "Variable '$n' has invalid value: Int cannot represent non-integer value: 'abc'",
    ),
    (
        ORDERS_FIRST,
        {"n": 2**31},
        "Variable '$n' has invalid value: Int cannot represent "
        "non 32-bit signed integer value: 2147483648",
    ),
    (
        "query($p: [Phase!]){ shipments(filter: {phases: $p}){ totalCount } }",
        {"p": ["NOPE"]},
        "Variable '$p' has invalid value at [0]: Value 'NOPE' does not exist in 'Phase' enum.",
    ),
    (
        UPSERT,
        {"i": {"id": "1", "order": {"totalOrderPrice": "abc"}}},
        "Variable '$i' has invalid value at .order.totalOrderPrice: Value cannot represent a "
        'Decimal: "abc".',
    ),
    (
        UPSERT,
        {"i": {"id": "1", "order": {"orderPlacedAt": "not-a-date"}}},
        "Variable '$i' has invalid value at .order.orderPlacedAt: Value cannot represent a "
        "DateTime: \"not-a-date\". Expected 4 digits, got 'not-'",
    ),
    (
        "query($n: Int!){ orders(first: $n){ totalCount } }",
        {},
        "Variable '$n' has invalid value: Expected a value of non-null type 'Int!' to be provided.",
    ),
    (
        UPSERT,
        {"i": {"id": "1", "bogus": 1}},
        "Variable '$i' has invalid value: Expected value of type 'UpsertOrderInput' not to "
        "include unknown field 'bogus', found: {'id': '1', 'bogus': 1}.",
    ),
    (
        "query($id: ID!){ node(id: $id){ id } }",
        {"id": None},
        "Variable '$id' has invalid value: Expected value of non-null type 'ID!' not to be None.",
    ),
]


@pytest.mark.parametrize(("query", "variables", "message"), CASES)
async def test_a_variable_of_the_wrong_type_is_a_coded_client_error(
    shop: Caller, factory: Factory, query: str, variables: dict[str, Any], message: str
) -> None:
    response = await shop.post(query, variables)

    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == message
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
    async with factory.db.reader() as session:
        assert (await session.exec(select(Order))).all() == []


async def test_graphql_response_json_gets_400_for_a_bad_variable(shop: Caller) -> None:
    headers = {"Authorization": shop.authorization, "Accept": "application/graphql-response+json"}
    body = {"query": ORDERS_FIRST, "variables": {"n": "abc"}}

    response = await shop.http.post(shop.path, json=body, headers=headers)

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/graphql-response+json"
    assert "data" not in response.json()
    assert response.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}


async def test_several_operations_without_operation_name_run_none(shop: Caller) -> None:
    body = await shop.execute("query A { shop { slug } } query B { viewer { name } }")

    assert body["data"] is None
    assert body["errors"] == [
        {
            "message": "Must provide operation name if query contains multiple operations.",
            "extensions": {"code": "OPERATION_NAME_REQUIRED"},
        }
    ]


async def test_an_operation_name_picks_one_of_several(shop: Caller) -> None:
    body = {"query": "query A { shop { slug } } query B { viewer { name } }", "operationName": "B"}
    response = await shop.http.post(
        shop.path, json=body, headers={"Authorization": shop.authorization}
    )

    assert response.json()["data"] == {"viewer": {"name": "acme-admin"}}


@pytest.mark.parametrize("method", ["POST", "GET"])
async def test_a_subscription_over_plain_http_is_told_to_use_a_stream(
    shop: Caller, method: str
) -> None:
    query = "subscription { events(after: 0) { position } }"
    headers = {"Authorization": shop.authorization}
    if method == "GET":
        response = await shop.http.get(shop.path, params={"query": query}, headers=headers)
    else:
        response = await shop.http.post(shop.path, json={"query": query}, headers=headers)

    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "Subscriptions are not answered over plain HTTP: open a WebSocket "
                "(graphql-transport-ws) or an SSE stream (Accept: text/event-stream) on this "
                "URL.",
                "extensions": {"code": "SUBSCRIPTION_NEEDS_STREAM"},
            }
        ]
    }
