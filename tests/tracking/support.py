"""A scripted carrier adapter and a poller routed to it, for the poller's tests."""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import httpx

from parcelgraph.domain.tracking_schedule import SchedulePolicy
from parcelgraph.resolvers.events.arrival import ArrivalPolicy
from parcelgraph.resolvers.shops import carrier_credentials
from parcelgraph.tracking.adapters import (
    AdapterSpec,
    FetchResult,
    RawStatus,
    TrackingRequest,
    TrackingUpdate,
    fetch_each,
)
from parcelgraph.tracking.poller import CarrierPoller, PollerConfig
from parcelgraph.tracking.routing import Router
from parcelgraph.tracking.sandbox import SandboxCarrier

KEY = carrier_credentials.new_key()
CIPHER = carrier_credentials.CredentialCipher([KEY])
# No jitter: the tests state exact schedules.
POLICY = SchedulePolicy(jitter=0.0)

Answer = TrackingUpdate | Exception


class ScriptedCarrier:
    """Answers each call with the next scripted answer (the last one repeats)."""

    name = "scripted"
    status_map = {"PU": "PICKED_UP_BY_CARRIER", "OFD": "OUT_FOR_DELIVERY",
                  "DL": "SUCCESSFULLY_DELIVERED"}  # fmt: skip
    batch_size = 1

    def __init__(self, answers: Sequence[Answer]) -> None:
        self.answers = list(answers)
        self.calls: list[str] = []

    async def fetch(self, request: TrackingRequest) -> TrackingUpdate:
        self.calls.append(request.tracking_number)
        answer = self.answers[min(len(self.calls), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def fetch_many(self, requests: Sequence[TrackingRequest]) -> dict[str, FetchResult]:
        return await fetch_each(self, requests)


def status(code: str, at: datetime, message: str = "scan") -> RawStatus:
    """A raw carrier status."""
    return RawStatus(code=code, message=message, occurred_at=at, location="Hamburg, DE")


def spec_for(carrier: ScriptedCarrier, *carriers: str) -> AdapterSpec:
    """A spec serving `carriers` with the scripted adapter (needs an api key)."""
    return AdapterSpec(
        name=carrier.name, carriers=carriers or ("ups",), base_url="http://127.0.0.1:9",
        required=("api_key",), build=lambda context: carrier,
    )  # fmt: skip


def make_poller(
    db: Any, clock: Callable[[], datetime], specs: Sequence[AdapterSpec] = (), **config: Any
) -> CarrierPoller:
    """A poller with the given adapter specs and the test cipher."""
    router = Router(
        specs=specs, routes={}, base_urls={}, http=httpx.AsyncClient(), clock=clock,
        sandbox=SandboxCarrier(time_scale=1.0),
    )  # fmt: skip
    return CarrierPoller(
        db=db, broker=None, clock=clock, router=router, policy=ArrivalPolicy(),
        config=PollerConfig(policy=config.pop("policy", POLICY), **config), cipher=CIPHER,
    )  # fmt: skip
