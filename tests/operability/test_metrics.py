"""/metrics: who may scrape it, and what GraphQL traffic and the poll schedule show there.

Counters are process-wide, so each test compares a scrape before and after its action.
"""

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import col

from parcelgraph.models import Shipment
from tests.metrics_support import scrape, value
from tests.support import Caller

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


async def test_loopback_scrapers_are_answered_and_others_refused(app, http) -> None:
    outside = httpx.ASGITransport(app=app, client=("10.1.2.3", 40000))
    async with httpx.AsyncClient(transport=outside, base_url="http://test") as remote:
        refused = await remote.get("/metrics")

    answered = await http.get("/metrics")

    assert refused.status_code == 403
    assert answered.status_code == 200
    assert answered.headers["content-type"].startswith("text/plain; version=")


class TestWithAToken:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {"metrics_token": "s3cret-scraper-token"}

    async def test_the_bearer_token_is_required_even_from_loopback(self, http) -> None:
        missing = await http.get("/metrics")
        wrong = await http.get("/metrics", headers={"Authorization": "Bearer nope"})
        right = await http.get("/metrics", headers={"Authorization": "Bearer s3cret-scraper-token"})

        assert (missing.status_code, wrong.status_code, right.status_code) == (403, 403, 200)


async def test_an_operation_is_counted_by_name_and_type_with_its_statements(
    http, shop: Caller
) -> None:
    before = await scrape(http)

    body = await shop.execute('query ShopCard { shop { slug } order(orderNumber: "9") { id } }')

    after = await scrape(http)
    assert body["data"] == {"shop": {"slug": "acme"}, "order": None}
    labels = {"operation": "ShopCard", "type": "query"}
    counted = "parcelgraph_graphql_operations_total"
    assert value(after, counted, **labels) - value(before, counted, **labels) == 1
    timed = "parcelgraph_graphql_operation_seconds_count"
    assert value(after, timed, **labels) - value(before, timed, **labels) == 1
    statements = "parcelgraph_sql_statements_per_operation_count"
    assert value(after, statements, type="query") - value(before, statements, type="query") == 1
    total = "parcelgraph_sql_statements_per_operation_sum"
    assert value(after, total, type="query") - value(before, total, type="query") >= 1


async def test_errors_are_counted_by_the_code_clients_received(http, shop: Caller) -> None:
    before = await scrape(http)

    body = await shop.execute("{ shop { noSuchField } }")

    after = await scrape(http)
    code = body["errors"][0]["extensions"]["code"]
    name = "parcelgraph_graphql_errors_total"
    assert value(after, name, code=code) - value(before, name, code=code) == 1


async def test_poller_lag_and_failing_shipments_per_carrier(
    http, shop: Caller, factory, db, clock
) -> None:
    order = await factory.order(await factory.shop("acme"), "1001")
    overdue_since = clock()
    for number, failures in (("1Z999AA10123456784", 0), ("1Z999AA10123456785", 2)):
        parcel = await factory.shipment(order, tracking_number=number, carrier="ups")
        async with db.writer() as session:
            await session.exec(
                update(Shipment)
                .where(col(Shipment.id) == parcel.id)
                .values(next_check_at=overdue_since, poll_failures=failures)
            )
            await session.commit()
    clock.advance(minutes=5)

    samples = await scrape(http)

    lag = value(samples, "parcelgraph_carrier_poller_lag_seconds", carrier="ups")
    assert lag == (clock() - overdue_since).total_seconds() == 300
    assert value(samples, "parcelgraph_carrier_poller_failing_shipments", carrier="ups") == 1
