"""/livez, /readyz, and the request id that ties a masked error to its log lines."""

import asyncio
import io
import json
import logging

import httpx
import pytest

from parcelgraph import metrics
from parcelgraph.operability import logs
from tests.conftest import REDIS_URL
from tests.support import Caller

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


async def test_livez_answers_while_the_process_runs(http: httpx.AsyncClient) -> None:
    response = await http.get("/livez")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_readyz_checks_the_database(http: httpx.AsyncClient) -> None:
    response = await http.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


class TestWithTheWorkerInProcess:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {
            "run_webhook_worker": True,
            "heartbeat_stale_seconds": 3600,
            "webhook_poll_interval": 0.02,
        }

    async def test_the_worker_heartbeat_is_part_of_readiness(self, http: httpx.AsyncClient) -> None:
        # Forget beats of earlier tests, then wait for this worker's next round.
        metrics.HEARTBEAT.clear()
        while metrics.last_beat("webhook worker") is None:  # noqa: ASYNC110 (a metric, no event)
            await asyncio.sleep(0.01)

        response = await http.get("/readyz")

        assert response.json()["checks"] == {"database": "ok", "webhook worker": "ok"}


class TestWithAStalledWorker:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        # Every beat is older than "0 seconds ago" as soon as it was taken.
        return {"run_webhook_worker": True, "heartbeat_stale_seconds": -1}

    async def test_readyz_fails_and_says_which_service(self, http: httpx.AsyncClient) -> None:
        response = await http.get("/readyz")

        assert response.status_code == 503
        assert response.json() == {
            "status": "unavailable",
            "checks": {"database": "ok", "webhook worker": "stalled"},
        }


@pytest.mark.redis
class TestWithRedis:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {"broker_url": REDIS_URL}

    async def test_readyz_pings_redis(self, http: httpx.AsyncClient) -> None:
        response = await http.get("/readyz")

        assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


async def test_each_response_names_its_request_and_a_good_incoming_id_is_kept(
    http: httpx.AsyncClient,
) -> None:
    fresh = await http.get("/livez")
    kept = await http.get("/livez", headers={"X-Request-Id": "lb-7f3a9c21e0"})
    replaced = await http.get("/livez", headers={"X-Request-Id": "bad id\\n"})

    assert len(fresh.headers["x-request-id"]) == 16
    assert kept.headers["x-request-id"] == "lb-7f3a9c21e0"
    assert replaced.headers["x-request-id"] != "bad id\\n"


@pytest.mark.expects_server_error
async def test_a_masked_error_quotes_the_request_id_that_json_logs_carry(
    http: httpx.AsyncClient, shop: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("database on fire")

    # The order lookup's read (the root field holds `find` itself, so patch what it calls).
    monkeypatch.setattr("parcelgraph.resolvers.orders.queries.first_by_key", broken)
    # A resolver's failure is what this test provokes: keep the compiled path out of it.
    monkeypatch.setattr("parcelgraph.schema.orders.compiled_context.Switch.enabled", False)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.JsonLines())
    logging.getLogger("parcelgraph.errors").addHandler(handler)
    try:
        response = await shop.post('{ order(orderNumber: "1") { id } }')
    finally:
        logging.getLogger("parcelgraph.errors").removeHandler(handler)

    request_id = response.headers["x-request-id"]
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "reference": request_id}
    [line] = stream.getvalue().splitlines()
    logged = json.loads(line)
    assert logged["request_id"] == request_id
    assert logged["level"] == "ERROR"
    assert logged["message"] == f"unexpected error (reference {request_id}) at order"
    assert "RuntimeError: database on fire" in logged["exception"]
