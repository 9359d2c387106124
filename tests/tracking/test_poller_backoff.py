"""Failed polls back off exponentially; the poller runs as a background service."""

from datetime import UTC, datetime, timedelta

import pytest

from parcelgraph.resolvers.events.arrival import ArrivalPolicy
from parcelgraph.tracking.adapters import (
    AdapterRegistry,
    CarrierUnavailable,
    TrackingRequest,
    TrackingUpdate,
    UnknownAdapter,
)
from parcelgraph.tracking.poller import CarrierPoller, PollerConfig, backoff
from parcelgraph.tracking.sandbox import SandboxCarrier
from tests.parcels import parcel, reload

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class FlakyCarrier:
    """Fails `failures` times, then answers like the sandbox."""

    name = "flaky"
    status_map = SandboxCarrier.status_map

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    async def fetch(self, request: TrackingRequest) -> TrackingUpdate:
        self.calls += 1
        if self.calls <= self.failures:
            raise CarrierUnavailable("503 from carrier")
        return await SandboxCarrier(time_scale=1.0).fetch(request)


def make_poller(db, clock, adapter) -> CarrierPoller:
    registry = AdapterRegistry(adapters={adapter.name: adapter}, routes={"*": adapter.name})
    return CarrierPoller(
        db=db, broker=None, clock=clock, registry=registry, policy=ArrivalPolicy(),
        config=PollerConfig(backoff_base=timedelta(seconds=60), backoff_cap=timedelta(seconds=200)),
    )  # fmt: skip


def test_backoff_doubles_up_to_the_cap():
    config = PollerConfig(backoff_base=timedelta(seconds=60), backoff_cap=timedelta(seconds=200))
    assert [backoff(n, config).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 200, 200]


async def test_a_failing_carrier_is_asked_again_later_and_recovers(shop, db, clock):
    shipment = await parcel(db, at=T0, tracking_number="SANDBOX-DELIVERED-1")
    carrier = FlakyCarrier(failures=2)
    poller = make_poller(db, clock, carrier)
    # when the carrier fails twice
    first = await poller.poll_once()
    after_first = await reload(db, shipment.id)
    too_early = await poller.poll_once()  # not due again yet
    clock.advance(seconds=60)
    await poller.poll_once()
    after_second = await reload(db, shipment.id)
    # then each failure pushes the next poll further out
    assert (first.failed, first.errors) == (
        1,
        ["SANDBOX-DELIVERED-1: CarrierUnavailable: 503 from carrier"],
    )
    assert (after_first.poll_failures, after_first.next_poll_at) == (1, T0 + timedelta(seconds=60))
    assert too_early.polled == 0
    assert (after_second.poll_failures, after_second.next_poll_at) == (
        2,
        T0 + timedelta(seconds=180),
    )
    # when it answers again, the failures are forgotten and the scans recorded
    clock.advance(seconds=120)
    recovered = await poller.poll_once()
    after = await reload(db, shipment.id)
    assert (recovered.failed, recovered.recorded) == (0, 1)
    assert (after.poll_failures, after.next_poll_at) == (0, T0 + timedelta(seconds=210))
    assert carrier.calls == 3


def test_routes_must_name_existing_adapters():
    with pytest.raises(UnknownAdapter):
        AdapterRegistry(adapters={"sandbox": SandboxCarrier()}, routes={"dhl": "dhl-api"})


def test_routes_pick_the_carrier_route_before_the_default():
    sandbox, flaky = SandboxCarrier(), FlakyCarrier(0)
    registry = AdapterRegistry(
        adapters={"sandbox": sandbox, "flaky": flaky}, routes={"ups": "flaky", "*": "sandbox"}
    )
    assert registry.for_carrier("UPS") is flaky
    assert registry.for_carrier("dhl") is sandbox
    assert registry.for_carrier(None) is sandbox
