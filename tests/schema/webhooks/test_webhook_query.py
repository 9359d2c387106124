"""webhooks / webhook(id): the delivery log with attempts, paged newest first."""

import pytest

from parcelgraph.domain.enums import Role
from tests.schema.webhooks.fragments import DELIVERIES, create_webhook, row_id
from tests.support import count_statements

pytestmark = pytest.mark.asyncio


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"webhook_backoff_jitter": "none", "webhook_backoff_base": 30.0}


async def test_the_log_shows_status_attempts_code_latency_and_excerpt(
    shop, outbox, receiver, clock
) -> None:
    # given a webhook whose receiver fails once, then accepts, and one event
    path = receiver.state.script("log", 502, 200)
    created = await create_webhook(shop, receiver.url(path))
    hook_id = created["webhook"]["id"]
    acme = await outbox.shop()
    order = await outbox.order(acme)
    [event] = await outbox.emit(acme, order, "OUT_FOR_DELIVERY")
    worker = outbox.worker()
    await worker.run_once()
    first_try = clock()
    clock.advance(seconds=30)
    await worker.run_once()
    await worker.aclose()

    # when an admin reads the webhook's deliveries
    data = await shop.data(DELIVERIES, {"id": hook_id, "first": 10})

    # then the delivery shows both attempts with their codes and excerpts
    [edge] = data["webhook"]["deliveries"]["edges"]
    node = edge["node"]
    assert node["eventId"] == str(event.id)
    assert node["eventPosition"] == event.position
    assert (node["status"], node["attemptCount"], node["isTest"]) == ("DELIVERED", 2, False)
    assert node["nextAttemptAt"] is None
    assert node["deliveredAt"] == clock().isoformat()
    assert node["lastStatusCode"] == 200
    first, second = node["attempts"]
    assert first["startedAt"] == first_try.isoformat()
    assert (first["attemptNumber"], first["statusCode"], first["succeeded"]) == (1, 502, False)
    assert first["responseExcerpt"] == "scripted 502"
    assert first["error"] is None
    assert first["durationMs"] >= 0
    assert (second["attemptNumber"], second["statusCode"], second["succeeded"]) == (2, 200, True)


async def test_pages_are_newest_first_and_filterable(shop, outbox, clock) -> None:
    # given five deliveries of one webhook, a second apart, none sent yet
    created = await create_webhook(shop, "https://hooks.example.com/in")
    hook_id = created["webhook"]["id"]
    acme = await outbox.shop()
    order = await outbox.order(acme)
    events = []
    for _ in range(5):
        events += await outbox.emit(acme, order, "OUT_FOR_DELIVERY")
        clock.advance(seconds=1)

    # when reading two at a time
    seen, after = [], None
    for _ in range(3):
        data = await shop.data(DELIVERIES, {"id": hook_id, "first": 2, "after": after})
        page = data["webhook"]["deliveries"]
        seen.append([e["node"]["eventPosition"] for e in page["edges"]])
        after = page["pageInfo"]["endCursor"]
        has_next = page["pageInfo"]["hasNextPage"]

    # then the pages walk from newest to oldest and end
    positions = [e.position for e in reversed(events)]
    assert seen == [positions[0:2], positions[2:4], positions[4:5]]
    assert has_next is False
    # and a status filter selects
    none = await shop.data(DELIVERIES, {"id": hook_id, "first": 10, "status": "DELIVERED"})
    assert none["webhook"]["deliveries"]["edges"] == []


async def test_statements_do_not_grow_with_webhooks_or_deliveries(shop, outbox, db) -> None:
    # given three webhooks with a delivery log each
    query = """{ webhooks { url deliveries(first: 5) { edges { node { status
      attempts { statusCode } webhook { url } } } } } }"""
    acme = await outbox.shop()
    order = await outbox.order(acme)
    counts = []
    for n in range(3):
        await create_webhook(shop, f"https://hooks.example.com/{n}")
        await outbox.emit(acme, order, "OUT_FOR_DELIVERY", "DELIVERY_ATTEMPTED")
        with count_statements(db) as counter:
            data = await shop.data(query)
        counts.append(counter.count)

    # then every read costs the same number of statements
    assert len(data["webhooks"]) == 3
    assert counts[0] == counts[1] == counts[2]


async def test_non_admins_cannot_see_webhooks(shop, make_shop) -> None:
    created = await create_webhook(shop, "https://hooks.example.com/in")
    viewer = await make_shop("acme", role=Role.EDITOR)

    body = await viewer.execute("{ webhooks { url } }")
    node = await viewer.data(
        "query($id: ID!) { node(id: $id) { id } }", {"id": created["webhook"]["id"]}
    )

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert node == {"node": None}


async def test_other_shops_cannot_see_a_webhook(shop, make_shop) -> None:
    created = await create_webhook(shop, "https://hooks.example.com/in")
    other = await make_shop("other", role=Role.ADMIN)

    data = await other.data(
        "query($id: ID!) { webhook(id: $id) { url } }", {"id": created["webhook"]["id"]}
    )

    assert data == {"webhook": None}
    assert row_id(created["webhook"]["id"])
