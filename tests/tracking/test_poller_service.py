"""The poller runs as a background service of the app (serve and worker)."""

import asyncio
from datetime import UTC, datetime

import pytest

from tests.parcels import parcel, reload

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"run_carrier_poller": True, "carrier_poll_interval": 0.05, "sandbox_time_scale": 1.0}


async def test_the_poller_runs_inside_the_app(shop, db):
    # given the app started with the poller on, and a parcel shipped just now
    shipment = await parcel(db, at=T0, carrier="sandbox", tracking_number="SANDBOX-DELIVERED-1")
    # then the background poller records its first scan without being called
    for _ in range(100):
        if (await reload(db, shipment.id)).last_event_at is not None:
            break
        await asyncio.sleep(0.05)
    assert (await reload(db, shipment.id)).last_event_at == T0
