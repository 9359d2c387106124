"""`parcelgraph serve` believes X-Forwarded-For only from configured trusted proxies: from
loopback, rotating the header does not dodge trackOrder's per-address limit."""

from pathlib import Path

import httpx
import pytest

from tests.processes import Server

TRACK = '{ trackOrder(orderNumber: "A-1001", zipCode: "10115") { state } }'


def statuses(server: Server, count: int) -> list[int]:
    url = server.http_url("shopa")
    return [
        httpx.post(
            url, json={"query": TRACK}, headers={"X-Forwarded-For": f"203.0.113.{i}"}, timeout=10
        ).status_code
        for i in range(count)
    ]


def serve(tmp_path: Path, **extra: str) -> Server:
    env = {
        "PARCELGRAPH_DATA_DIR": str(tmp_path),
        "PARCELGRAPH_RUN_WEBHOOK_WORKER": "false",
        "PARCELGRAPH_RUN_CARRIER_POLLER": "false",
        "PARCELGRAPH_LOG_LEVEL": "warning",
        "PARCELGRAPH_TRACK_ORDER_BURST": "3",
        "PARCELGRAPH_TRACK_ORDER_PER_MINUTE": "0.001",
        **extra,
    }
    env.pop("PARCELGRAPH_DATABASE_URL", None)
    return Server(env, tmp_path / "server.log")


@pytest.fixture(autouse=True)
def _no_inherited_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PARCELGRAPH_DATABASE_URL", "PARCELGRAPH_BROKER_URL", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.slow
def test_rotating_x_forwarded_for_from_loopback_is_still_one_client(tmp_path: Path) -> None:
    server = serve(tmp_path)
    try:
        assert statuses(server, 5) == [200, 200, 200, 429, 429]
    finally:
        server.stop()


@pytest.mark.slow
def test_a_configured_proxy_names_the_client(tmp_path: Path) -> None:
    server = serve(tmp_path, PARCELGRAPH_TRUSTED_PROXIES="127.0.0.1")
    try:
        assert statuses(server, 5) == [200, 200, 200, 200, 200]
    finally:
        server.stop()
