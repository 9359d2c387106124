"""Error hygiene: masked unexpected errors with a logged reference, no field suggestions and
no introspection for order-token and anonymous callers, the ValidationCache still hitting."""

import logging

import pytest

from parcelgraph.schema.hardening.extensions import CACHE_SIZE
from parcelgraph.schema.shops import fields as shop_module
from tests.support import Caller

TYPO = "{ shop { nam } }"


@pytest.mark.expects_server_error
async def test_an_unexpected_error_is_masked_with_a_reference_that_is_logged(
    editor: Caller, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_row: object) -> None:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(shop_module.ShopType, "from_row", broken)

    with caplog.at_level(logging.ERROR, logger="parcelgraph.errors"):
        body = await editor.execute("{ shop { name } }")

    [error] = body["errors"]
    reference = error["extensions"]["reference"]
    assert error["message"] == f"Unexpected error. Reference: {reference}."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "reference": reference}
    assert "hunter2" not in str(body)
    [record] = [r for r in caplog.records if reference in r.getMessage()]
    assert record.exc_info is not None and "hunter2" in str(record.exc_info[1])


async def test_api_keys_get_field_suggestions(editor: Caller) -> None:
    body = await editor.execute(TYPO)

    assert body["errors"][0]["message"] == (
        "Cannot query field 'nam' on type 'Shop'. Did you mean 'name'?"
    )
    assert body["errors"][0]["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}


async def test_anonymous_and_token_callers_get_no_suggestions(editor: Caller, factory) -> None:  # type: ignore[no-untyped-def]
    order = await factory.order(await factory.shop("acme"), "1001")
    customer = editor.as_(await factory.token(order))

    for caller in (editor.as_(None), customer):
        body = await caller.execute(TYPO)
        assert body["errors"][0]["message"] == "Cannot query field 'nam' on type 'Shop'."


async def test_introspection_for_api_keys_only(editor: Caller, factory) -> None:  # type: ignore[no-untyped-def]
    order = await factory.order(await factory.shop("acme"), "1001")
    customer = editor.as_(await factory.token(order))
    query = "{ __schema { queryType { name } } }"

    allowed = await editor.data(query)
    refusals = [await caller.execute(query) for caller in (editor.as_(None), customer)]

    assert allowed == {"__schema": {"queryType": {"name": "Query"}}}
    for body in refusals:
        assert body["data"] is None
        assert body["errors"][0]["extensions"] == {"code": "INTROSPECTION_DISABLED"}
    assert await editor.as_(None).data("{ __typename }") == {"__typename": "Query"}
    type_query = await customer.execute('{ __type(name: "Order") { name } }')
    assert type_query["errors"][0]["extensions"] == {"code": "INTROSPECTION_DISABLED"}


async def test_the_validation_cache_keeps_hitting_with_the_limits_in_place(editor: Caller) -> None:
    from strawberry.extensions.validation_cache import _get_validate_cache

    cache = _get_validate_cache(CACHE_SIZE)
    query = "{ shop { name currency } viewer { name } }"
    await editor.data(query)
    before = cache.cache_info()

    for _ in range(5):
        await editor.data(query)
    after = cache.cache_info()

    assert (after.hits - before.hits, after.misses - before.misses) == (5, 0)
