"""Every string a client sends is refused when it holds a NUL character or a lone surrogate
(INVALID_CHARACTERS, with the field path, nothing written), through variables and literals,
on SQLite and PostgreSQL alike; and stored text that is not Unicode never turns a read into
a 500."""

import json
from typing import Any

import pytest
from sqlmodel import select

from parcelgraph.models import Order
from tests.claim_support import customer_of, parcel
from tests.factories import Factory
from tests.support import Caller

UPDATE_MY_ADDRESS = """
mutation($n: String) {
  updateMyOrderAddress(input: {address: {zipCode: "10115", countryCode: "DE", name: $n}}) {
    errors { field code }
  }
}"""
SEARCH = "query($s: String){ orders(filter: {search: $s}) { totalCount } }"
ORDER_LIST = "{ orders(first: 20) { edges { node { address { name } } } } }"


async def post_raw(caller: Caller, query: str, variables: dict[str, Any]) -> Any:
    """POST with the body encoded as a real client does: lone surrogates as \\u escapes."""
    body = json.dumps({"query": query, "variables": variables})  # ensure_ascii escapes them
    headers = {"Content-Type": "application/json", "Authorization": caller.authorization or ""}
    return await caller.http.post(caller.path, content=body.encode(), headers=headers)


def refused(response: Any, field: list[str]) -> None:
    """A request error INVALID_CHARACTERS at `field`, nothing executed."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INVALID_CHARACTERS"
    assert error["extensions"]["field"] == field


@pytest.mark.parametrize("bad", ["\udc00", "Ada\u0000"])
async def test_a_customer_cannot_store_bad_text_in_the_address(
    shop: Caller, factory: Factory, bad: str
) -> None:
    given = await parcel(factory, events=())
    customer = await customer_of(shop, given.order)

    response = await post_raw(customer, UPDATE_MY_ADDRESS, {"n": bad})

    refused(response, ["n"])
    async with factory.db.reader() as session:
        order = (await session.exec(select(Order).where(Order.id == given.order.id))).one()
    assert order.address["name"] == "Ada Lovelace"
    merchant = await shop.data(ORDER_LIST)
    assert merchant["orders"]["edges"][0]["node"]["address"]["name"] == "Ada Lovelace"


@pytest.mark.parametrize(
    ("query", "variables", "field"),
    [
        (SEARCH, {"s": "\ud800"}, ["s"]),
        (SEARCH, {"s": "a\x00"}, ["s"]),
        ("query($s: String!){ order(orderNumber: $s) { id } }", {"s": "A-1\x00"}, ["s"]),
        (
            "query($t: String){ shipment(trackingNumber: $t) { id } }",
            {"t": "00340\x00434"},
            ["t"],
        ),
        (
            "mutation($i: UpsertOrderInput!){ upsertOrder(input: $i) { errors { code } } }",
            {"i": {"id": "A-1\x00", "order": {"orderNumber": "A-1\x00"}}},
            ["i", "id"],
        ),
        (
            "mutation($i: UpsertOrderInput!){ upsertOrder(input: $i) { errors { code } } }",
            {"i": {"id": "A-2", "order": {"orderName": "\udc00", "products": []}}},
            ["i", "order", "orderName"],
        ),
        (
            "mutation($i: UpsertOrderInput!){ upsertOrder(input: $i) { errors { code } } }",
            {"i": {"id": "A-3", "order": {"products": [{"title": "Mug\x00"}]}}},
            ["i", "order", "products", "0", "title"],
        ),
        (
            "mutation($i: UpsertOrderInput!){ upsertOrder(input: $i) { errors { code } } }",
            {"i": {"id": "A-4", "trackings": [{"trackingNumber": "00340\x00434"}]}},
            ["i", "trackings", "0", "trackingNumber"],
        ),
    ],
)
async def test_merchant_inputs_with_bad_text_are_refused(
    shop: Caller, factory: Factory, query: str, variables: dict[str, Any], field: list[str]
) -> None:
    response = await post_raw(shop, query, variables)

    refused(response, field)
    async with factory.db.reader() as session:
        assert (await session.exec(select(Order))).all() == []


async def test_anonymous_track_order_with_a_nul_byte_is_refused(shop: Caller) -> None:
    query = "query($n: String!, $z: String!){ trackOrder(orderNumber: $n, zipCode: $z) { state } }"

    response = await post_raw(shop.as_(None), query, {"n": "1001\x00", "z": "10115"})

    refused(response, ["n"])


async def test_literals_with_bad_text_are_refused_too(shop: Caller) -> None:
    # The JSON escape puts a real NUL character into the GraphQL string literal.
    query = '{ orders(filter: {search: "a\\u0000b"}) { totalCount } }'

    body = await shop.execute(query)

    [error] = body["errors"]
    assert error["extensions"] == {"code": "INVALID_CHARACTERS", "field": ["filter", "search"]}


# PostgreSQL's json type refuses the escape of a lone surrogate, so only SQLite ever held one.
@pytest.mark.parametrize("backend", ["sqlite"])
async def test_stored_text_that_is_not_unicode_still_reads(shop: Caller, factory: Factory) -> None:
    # given an address stored before inputs were checked (a JSON column keeps the escape)
    acme = await factory.shop("acme")
    order = await factory.order(acme, "1001")
    async with factory.db.writer() as session:
        row = (await session.exec(select(Order).where(Order.id == order.id))).one()
        row.address = {**row.address, "name": "\udc00"}
        session.add(row)
        await session.commit()

    response = await shop.post(ORDER_LIST)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    node = response.json()["data"]["orders"]["edges"][0]["node"]
    assert node == {"address": {"name": "\ufffd"}}
