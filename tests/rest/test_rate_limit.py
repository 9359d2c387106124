"""REST calls spend from their key's budget, the same bucket GraphQL and MCP spend from: a
call the budget cannot pay for is refused with 429 and Retry-After, and writes nothing."""

import pytest
from sqlalchemy import func
from sqlmodel import select

from parcelgraph.models import Order
from tests.rest.support import Rest, sw_upsert


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"rate_limit_capacity": 25, "rate_limit_restore_per_second": 1.0}


async def test_a_call_the_budget_cannot_pay_for_is_refused_and_writes_nothing(
    editor, db, clock
) -> None:  # type: ignore[no-untyped-def]
    rest = Rest.of(editor)
    await rest.ok("PUT", "/orders", json=sw_upsert("1"))  # 10 points
    await rest.ok("PUT", "/orders", json=sw_upsert("2"))  # 10 points: 5 left

    refused = await rest.call("PUT", "/orders", json=sw_upsert("3"))

    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "5"
    body = refused.json()
    assert (body["key"], body["type"]) == ("rate_limit_exceeded", "invalid_request_error")
    async with db.reader() as session:
        assert (await session.exec(select(func.count()).select_from(Order))).one() == 2

    # the same bucket as GraphQL: the 5 points left, less the 1 point this query used
    answer = await editor.post("{ shop { slug } }")
    assert answer.json()["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 4

    clock.advance(seconds=7)  # 4 + 7 points restored: a write fits again
    await rest.ok("PUT", "/orders", json=sw_upsert("3"))
