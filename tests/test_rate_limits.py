"""Rate limiting over HTTP: a leaky bucket of cost points per API key, per address otherwise."""

import uuid

import httpx
import pytest

from parcelgraph.app import create_app
from tests.conftest import REDIS_URL
from tests.support import Caller, count_statements

QUERY = "{ shop { name } viewer { name } }"  # costs 2 (two objects)


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"rate_limit_capacity": 10, "rate_limit_restore_per_second": 1.0}


def available(response: httpx.Response) -> int:
    return response.json()["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]


async def test_exhaustion_refuses_with_429_and_executes_nothing(editor: Caller, db) -> None:  # type: ignore[no-untyped-def]
    spent = [available(await editor.post(QUERY)) for _ in range(5)]

    with count_statements(db) as counter:
        throttled = await editor.post(QUERY)

    assert spent == [8, 6, 4, 2, 0]
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "2"
    body = throttled.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {
        "code": "THROTTLED",
        "cost": 2,
        "retryAfterSeconds": 2,
    }
    assert body["extensions"]["cost"] == {
        "requestedQueryCost": 2,
        "actualQueryCost": 0,
        "throttleStatus": {"maximumAvailable": 10, "currentlyAvailable": 0, "restoreRate": 1.0},
    }
    assert counter.count == 1  # the API key lookup; no resolver ran


async def test_the_bucket_refills_at_the_restore_rate(editor: Caller, clock) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        await editor.post(QUERY)
    assert (await editor.post(QUERY)).status_code == 429

    clock.advance(seconds=1)
    still = await editor.post(QUERY)
    clock.advance(seconds=1)
    again = await editor.post(QUERY)

    assert still.status_code == 429
    assert (again.status_code, available(again)) == (200, 0)


async def test_unused_points_are_given_back(editor: Caller) -> None:
    # 1 + 4 x 2 requested; the shop has no orders, so only the connection itself is used.
    response = await editor.post("{ orders(first: 4) { edges { node { id } } } }")

    assert response.json()["extensions"]["cost"] == {
        "requestedQueryCost": 9,
        "actualQueryCost": 1,
        "throttleStatus": {"maximumAvailable": 10, "currentlyAvailable": 9, "restoreRate": 1.0},
    }


async def test_each_key_and_each_anonymous_address_has_its_own_bucket(
    editor: Caller, viewer: Caller, app
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        await editor.post(QUERY)
    anonymous = editor.as_(None)
    anonymous_codes = [(await anonymous.post("{ __typename }")).status_code for _ in range(11)]
    transport = httpx.ASGITransport(app=app, client=("198.51.100.7", 4000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as elsewhere:
        other_address = await elsewhere.post(editor.path, json={"query": "{ __typename }"})

    assert (await editor.post(QUERY)).status_code == 429
    assert (await viewer.post(QUERY)).status_code == 200
    assert anonymous_codes == [200] * 10 + [429]  # { __typename } is charged the minimum, 1
    assert other_address.status_code == 200


@pytest.mark.redis
async def test_two_app_instances_share_one_budget_through_redis(settings, clock, editor) -> None:  # type: ignore[no-untyped-def]
    shared = settings.model_copy(
        update={"broker_url": REDIS_URL, "rate_limit_namespace": f"test:{uuid.uuid4().hex}"}
    )
    one, two = create_app(shared, clock=clock), create_app(shared, clock=clock)
    headers = {"Authorization": editor.authorization}
    body = {"query": QUERY}
    async with one.router.lifespan_context(one), two.router.lifespan_context(two):
        async with (
            httpx.AsyncClient(transport=httpx.ASGITransport(app=one), base_url="http://a") as a,
            httpx.AsyncClient(transport=httpx.ASGITransport(app=two), base_url="http://b") as b,
        ):
            codes = []
            for client in (a, b, a, b, a, b):
                response = await client.post(editor.path, json=body, headers=headers)
                codes.append(response.status_code)
            clock.advance(seconds=2)
            recovered = await b.post(editor.path, json=body, headers=headers)

    assert codes == [200, 200, 200, 200, 200, 429]
    assert recovered.status_code == 200
