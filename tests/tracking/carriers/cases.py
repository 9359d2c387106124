"""The carriers under test: how to build each adapter against the fake carrier, and where
its tracking call goes (so the shared contract tests can make that call fail).

Adding a carrier: add its fixtures folder (`success`, `not_found`, and `token` when it
uses OAuth), then one `CarrierCase` below; the contract tests pick it up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from parcelgraph.tracking.adapters import TrackingRequest
from parcelgraph.tracking.carriers.aftership import AftershipAdapter
from parcelgraph.tracking.carriers.base import CarrierClient
from parcelgraph.tracking.carriers.dhl import DhlAdapter
from parcelgraph.tracking.carriers.fedex import FedexAdapter
from parcelgraph.tracking.carriers.gls import GlsAdapter
from parcelgraph.tracking.carriers.http import HttpPolicy
from parcelgraph.tracking.carriers.postnl import PostnlAdapter
from parcelgraph.tracking.carriers.royalmail import RoyalmailAdapter
from parcelgraph.tracking.carriers.ups import UpsAdapter
from parcelgraph.tracking.carriers.usps import UspsAdapter
from parcelgraph.tracking.credentials import AdapterContext, CarrierCredentials

# Fast and small, so that failure paths run in well under a second.
TEST_POLICY = HttpPolicy(
    attempts=3,
    backoff_base=0.01,
    backoff_cap=0.02,
    max_retry_after=5.0,
    requests_per_second=1000.0,
    burst=100,
)


class Sleeps:
    """An injected sleep that records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@dataclass(frozen=True)
class CarrierCase:
    """One carrier adapter as the contract tests see it."""

    name: str
    adapter: type[CarrierClient]
    number: str
    track_method: str
    track_path: str
    credentials: dict[str, str] = field(default_factory=dict)
    token_path: str | None = None

    def build(
        self, url: str, sleeps: Sleeps, *, read_timeout: float = 10.0, **policy: Any
    ) -> CarrierClient:
        """The adapter, pointed at the fake carrier the way `carrier_base_urls` points it.

        The read timeout is generous (a loaded machine must not fail a success test);
        the timeout test passes a short one.
        """
        context = AdapterContext(
            credentials=CarrierCredentials(**self.credentials),
            base_url=url,
            http=httpx.AsyncClient(timeout=httpx.Timeout(read_timeout, connect=5.0)),
            clock=lambda: NOW,
        )
        return self.adapter(context, policy=_policy(**policy), sleep=sleeps)

    def request(self, number: str | None = None) -> TrackingRequest:
        return TrackingRequest(
            tracking_number=number or self.number,
            carrier_reference=self.name,
            direction="MERCHANT_CUSTOMER",
            shipped_at=NOW,
            now=NOW,
        )

    def fixtures(self, *names: str) -> tuple[str, ...]:
        """The fixture names to load, the token route first for OAuth carriers."""
        return (("token",) if self.token_path else ()) + names


def _policy(**changes: Any) -> HttpPolicy:
    values = {f: getattr(TEST_POLICY, f) for f in TEST_POLICY.__slots__} | changes
    return HttpPolicy(**values)


NOW = datetime(2026, 10, 8, 12, 0, tzinfo=UTC)

OAUTH = {"client_id": "cid", "client_secret": "secret"}

CASES: list[CarrierCase] = [
    CarrierCase(
        "dhl",
        DhlAdapter,
        "00340434161094042557",
        "GET",
        "/track/shipments",
        credentials={"api_key": "dhl-key"},
    ),
    CarrierCase(
        "ups",
        UpsAdapter,
        "1Z023E2X0214323462",
        "GET",
        "/api/track/v1/details/1Z023E2X0214323462",
        credentials=OAUTH,
        token_path="/security/v1/oauth/token",
    ),
    CarrierCase(
        "fedex",
        FedexAdapter,
        "794843185271",
        "POST",
        "/track/v1/trackingnumbers",
        credentials=OAUTH,
        token_path="/oauth/token",
    ),
    CarrierCase(
        "usps",
        UspsAdapter,
        "9400100000000000000000",
        "GET",
        "/tracking/v3/tracking/9400100000000000000000",
        credentials=OAUTH,
        token_path="/oauth2/v3/token",
    ),
    CarrierCase(
        "postnl",
        PostnlAdapter,
        "3SDEVC201611210",
        "GET",
        "/shipment/v2/status/barcode/3SDEVC201611210",
        credentials={"api_key": "postnl-key"},
    ),
    CarrierCase(
        "gls",
        GlsAdapter,
        "ZXVN5Q2T",
        "GET",
        "/track-and-trace-v1/tracking/simple/trackids/ZXVN5Q2T",
        credentials=OAUTH,
        token_path="/oauth2/v1/token",
    ),
    CarrierCase(
        "royalmail",
        RoyalmailAdapter,
        "AB123456789GB",
        "GET",
        "/mailpieces/v2/AB123456789GB/events",
        credentials={"client_id": "rm-id", "client_secret": "rm-secret"},
    ),
    CarrierCase(
        "aftership",
        AftershipAdapter,
        "H1001990000000000011",
        "GET",
        "/trackings",
        credentials={"api_key": "as-key"},
    ),
]

Build = Callable[..., CarrierClient]
