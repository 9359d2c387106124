"""Every error key REST v1 documents, produced by a request that should produce it, in the
documented envelope `{errors, key, message, type}` with the documented status; and a
refused write leaves nothing behind."""

import json
import uuid

import pytest
from sqlalchemy import func
from sqlmodel import select

from parcelgraph.domain.enums import Role
from parcelgraph.models import Order
from parcelgraph.resolvers import shops
from tests.rest.support import Rest, sw_order, sw_tracking, sw_upsert
from tests.support import basic

NOWHERE = str(uuid.UUID(int=7))


def envelope(response, status: int, key: str) -> list[dict]:  # type: ignore[no-untyped-def]
    """Assert the documented envelope; return its items."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"errors", "key", "message", "type"}
    assert (body["key"], body["type"]) == (key, "invalid_request_error")
    assert body["message"]
    return body["errors"]


async def orders_in(db) -> int:  # type: ignore[no-untyped-def]
    async with db.reader() as session:
        return (await session.exec(select(func.count()).select_from(Order))).one()


async def test_order_keys(editor, db) -> None:
    rest = Rest.of(editor)
    await rest.ok("PUT", "/orders", json=sw_upsert("1"))

    items = envelope(await rest.call("POST", "/orders", json=sw_order("1")), 409, "order_exists")
    assert items == [
        {"loc": ["body"], "msg": items[0]["msg"], "field": None, "type": "order_exists"}
    ]
    envelope(
        await rest.call("PUT", "/orders", json={"id": "404", "trackings": []}),
        404,
        "order_not_found",
    )
    envelope(
        await rest.call("PATCH", f"/orders/{NOWHERE}", json={"expected_number_of_shipments": 2}),
        404,
        "order_not_found",
    )
    envelope(
        await rest.call("PUT", f"/orders/{NOWHERE}/analytics", json={"source": "x"}),
        404,
        "order_not_found",
    )
    taken = sw_order("2", external_id="sw-1")
    items = envelope(await rest.call("POST", "/orders", json=taken), 409, "order_exists")
    assert [i["field"] for i in items] == ["external_id"]
    assert await orders_in(db) == 1


async def test_zip_code_and_carrier_reference_are_422_with_their_paths(editor, db) -> None:
    rest = Rest.of(editor)
    no_zip = sw_order("1", address={"city": "Berlin", "country_code": "DE"})
    items = envelope(await rest.call("POST", "/orders", json=no_zip), 422, "zip_code_invalid")
    assert [(i["loc"], i["field"], i["type"]) for i in items] == [
        (["body", "address", "zip_code"], "address.zip_code", "zip_code_invalid")
    ]
    bad_zip = sw_order("1", address={"zip_code": "ABCDE", "country_code": "DE"})
    envelope(await rest.call("POST", "/orders", json=bad_zip), 422, "zip_code_invalid")

    tracking = {**sw_tracking("1Z999AA10123456784", "MUG", 1), "carrier_reference": "owl"}
    body = sw_upsert("1", trackings=[tracking])
    items = envelope(await rest.call("PUT", "/orders", json=body), 422, "carrier_reference_invalid")
    assert [i["loc"] for i in items] == [["body", "trackings", 0, "carrier_reference"]]
    assert await orders_in(db) == 0


async def test_shipment_not_found(editor) -> None:
    rest = Rest.of(editor)
    one = await rest.ok("PUT", "/orders", json=sw_upsert("1"))
    two = await rest.ok("PUT", "/orders", json=sw_upsert("2"))
    other = two["trackings"][0]["id"]
    for path in (
        f"/orders/{one['uuid']}/shipments/{NOWHERE}",
        f"/orders/{one['uuid']}/shipments/{other}",
    ):
        envelope(
            await rest.call("PATCH", path, json={"tracking_url": "https://t.example/1"}),
            404,
            "shipment_not_found",
        )
    # the refused edit of another order's shipment changed nothing there
    [again] = await rest.ok("GET", "/orders", params={"order_number": "2"})
    assert again["trackings"][0]["carrier"]["tracking_url"] is None
    envelope(
        await rest.call("POST", "/claims", json={"shipment_id": NOWHERE, "reason": "support"}),
        404,
        "shipment_not_found",
    )


async def test_claim_keys(editor) -> None:
    rest = Rest.of(editor)
    tracking = sw_tracking("1Z999AA10123456784", "MUG", 3)
    placed = await rest.ok("PUT", "/orders", json=sw_upsert("1", trackings=[tracking]))
    shipment = placed["trackings"][0]["id"]
    claim = {"shipment_id": shipment, "reason": "support"}
    await rest.ok("POST", "/claims", 201, json=claim)
    envelope(await rest.call("POST", "/claims", json=claim), 409, "claim_exists")
    envelope(await rest.call("GET", f"/claims/{NOWHERE}"), 404, "claim_not_found")
    envelope(
        await rest.call("PUT", f"/claims/{NOWHERE}", json={"status": "closed"}),
        404,
        "claim_not_found",
    )


async def test_webhook_not_found(shop) -> None:
    rest = Rest.of(shop)
    for method, body in (("GET", None), ("PATCH", {"status": "inactive"}), ("DELETE", None)):
        response = await rest.call(method, f"/webhooks/{NOWHERE}", json=body)
        envelope(response, 404, "webhook_not_found")


async def test_validation_items_are_fastapi_style(editor) -> None:
    rest = Rest.of(editor)
    items = envelope(
        await rest.call("PUT", "/orders", json={"id_type": "isbn", "trackings": [{}]}),
        422,
        "validation_error",
    )
    assert {(tuple(i["loc"]), i["type"]) for i in items} == {
        (("body", "id"), "missing"),
        (("body", "id_type"), "enum"),
        (("body", "trackings", 0, "tracking_number"), "missing"),
    }
    assert {i["field"] for i in items} == {"id", "id_type", "trackings.0.tracking_number"}
    items = envelope(
        await rest.call("GET", "/orders", params={"per_page": 101}), 422, "validation_error"
    )
    assert [(i["loc"], i["type"]) for i in items] == [(["query", "per_page"], "less_than_equal")]


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"bulk_max_items": 2}


async def test_bulk_limit_and_per_item_results(editor, db) -> None:
    rest = Rest.of(editor)
    three = [sw_upsert(str(n)) for n in range(3)]
    items = envelope(await rest.call("PUT", "/orders/bulk", json=three), 422, "batch_too_large")
    assert items[0]["loc"] == ["body", "items"]
    assert await orders_in(db) == 0

    mixed = [sw_upsert("1"), {"id": "404", "trackings": []}]
    results = await rest.ok("PUT", "/orders/bulk", json=mixed)
    assert [(r["index"], r["status"], r["key"]) for r in results] == [
        (0, 200, None),
        (1, 404, "order_not_found"),
    ]
    assert results[1]["errors"][0]["loc"] == ["body", 1, "id"]
    assert await orders_in(db) == 1


async def test_auth_never_reveals_whether_the_shop_exists(
    make_shop, shop, viewer, db, clock, http
) -> None:
    other = await make_shop("other", role=Role.ADMIN)
    for slug in ("acme", "ghost"):
        anonymous = Rest(http, slug, None)
        response = await anonymous.call("GET", "/orders")
        envelope(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"] == 'Basic realm="parcelgraph"'
        wrong = Rest(http, slug, basic("acme-admin", "pgk_wrong"))
        envelope(await wrong.call("GET", "/orders"), 401, "unauthorized")
        elsewhere = Rest(http, slug, other.authorization)
        envelope(await elsewhere.call("GET", "/orders"), 403, "forbidden")
    envelope(await Rest.of(viewer).call("PUT", "/orders", json=sw_upsert()), 403, "forbidden")
    envelope(await Rest.of(viewer).call("GET", "/webhooks"), 403, "forbidden")
    token = Rest(http, "acme", "Bearer pgt_anything")
    envelope(await token.call("GET", "/orders"), 401, "unauthorized")

    async with db.writer() as session:
        issued = await shops.create_api_key(
            session, shop_slug="*", role=Role.ADMIN, name="platform", now=clock()
        )
        await session.commit()
    platform = Rest(http, "ghost", basic("platform", issued.secret))
    envelope(await platform.call("GET", "/orders"), 404, "shop_not_found")


async def test_an_unexpected_failure_is_masked_in_the_envelope(editor, monkeypatch) -> None:
    from parcelgraph.rest import orders as rest_orders

    async def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    monkeypatch.setattr(rest_orders, "details", broken)
    response = await Rest.of(editor).call("GET", "/orders")
    assert response.status_code == 500
    assert response.json() == {
        "errors": [],
        "key": "internal_error",
        "message": "Something went wrong on our side.",
        "type": "api_error",
    }


async def test_nul_and_lone_surrogates_are_refused_before_anything_runs(editor, db) -> None:
    rest = Rest.of(editor)
    address = {"zip_code": "10115", "country_code": "DE"}
    nul = sw_order("1", address={**address, "name": "Kim\x00Doe"})
    items = envelope(await rest.call("POST", "/orders", json=nul), 422, "invalid_characters")
    assert [(i["loc"], i["field"], i["type"]) for i in items] == [
        (["body", "address", "name"], "address.name", "invalid_characters")
    ]
    # json.dumps escapes the lone surrogate as \udc00, exactly as a client library sends it
    surrogate = json.dumps(sw_order("2", address={**address, "name": "\udc00"}))
    response = await rest.call(
        "POST", "/orders", content=surrogate, headers={"Content-Type": "application/json"}
    )
    items = envelope(response, 422, "invalid_characters")
    assert [i["loc"] for i in items] == [["body", "address", "name"]]
    items = envelope(await rest.call("GET", "/orders?order_number=A%00"), 422, "invalid_characters")
    assert [i["loc"] for i in items] == [["query", "order_number"]]
    assert await orders_in(db) == 0
