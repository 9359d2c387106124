"""Oversized documents are refused right after parsing, before validation (the expensive
step), and each refusal is charged to the caller's budget: an anonymous caller cannot tie up
the CPU with aliased or repeated `trackOrder` fields for free."""

import pytest

from tests.support import Caller

TRACK = 'trackOrder(orderNumber: "A-1001", zipCode: "10115") { state }'


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"rate_limit_capacity": 250, "rate_limit_restore_per_second": 1.0}


def aliased(count: int) -> str:
    return "{ " + " ".join(f"a{i}: {TRACK}" for i in range(count)) + " }"


async def test_the_400_alias_track_order_document_is_refused_unvalidated(shop: Caller) -> None:
    anonymous = shop.as_(None)

    body = (await anonymous.post(aliased(400))).json()

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["MAX_TOKENS_EXCEEDED"]


async def test_many_aliases_within_the_token_limit_are_refused(shop: Caller) -> None:
    body = (await shop.as_(None).post(aliased(300))).json()

    assert body["errors"] == [
        {
            "message": "The document uses 300 aliases (fragments counted where spread); the "
            "maximum is 30.",
            "extensions": {"code": "MAX_ALIASES_EXCEEDED", "aliases": 300, "limit": 30},
        }
    ]


async def test_one_field_repeated_without_aliases_is_refused(shop: Caller) -> None:
    body = (await shop.as_(None).post("{ " + " ".join([TRACK] * 100) + " }")).json()

    assert body["errors"] == [
        {
            "message": "One selection asks for the same field 100 times; the maximum is 10. "
            "Use aliases for different arguments.",
            "extensions": {"code": "MAX_FIELD_REPEATS_EXCEEDED", "repeats": 100, "limit": 10},
        }
    ]


async def test_too_many_fields_are_refused(shop: Caller) -> None:
    fragments = " ".join(f"fragment F{i} on Shop {{ name slug }}" for i in range(130))

    body = (await shop.post("{ shop { name } } " + fragments)).json()

    assert body["errors"] == [
        {
            "message": "The document has 262 fields and fragment spreads; the maximum is 250.",
            "extensions": {"code": "MAX_FIELDS_EXCEEDED", "fields": 262, "limit": 250},
        }
    ]


async def test_refused_documents_spend_the_anonymous_budget(shop: Caller) -> None:
    anonymous = shop.as_(None)
    left = []
    for _ in range(3):
        body = (await anonymous.post(aliased(300))).json()
        left.append(body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"])

    throttled = await anonymous.post("{ " + TRACK + " }")

    assert left == [150, 50, 0]
    assert throttled.status_code == 429
    assert throttled.json()["errors"][0]["extensions"]["code"] == "THROTTLED"


async def test_an_empty_anonymous_budget_is_refused_before_parsing(shop: Caller) -> None:
    anonymous = shop.as_(None)
    for _ in range(3):
        await anonymous.post(aliased(300))

    # a document the parser would refuse: THROTTLED proves it was never parsed
    unparsed = await anonymous.post("{ " + TRACK)
    oversized = await anonymous.post(aliased(400))

    for response in (unparsed, oversized):
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "1"
        body = response.json()
        assert body["data"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["THROTTLED"]
        assert body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 0


async def test_ordinary_documents_are_not_charged_a_penalty(shop: Caller) -> None:
    body = (await shop.as_(None).post("{ " + TRACK + " }")).json()

    assert body["data"] == {"trackOrder": None}
    assert body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 249
