"""The carrier adapter protocol, its errors, and the spec that registers an adapter.

An adapter answers one question: what does the carrier say about these tracking numbers
now? It returns the carrier's raw statuses (its own code, message, location, time) and,
when the carrier gives them, an arrival window and proof of delivery. Mapping codes to
catalogue events is the normalizer's job, so an adapter stays a thin client of one API.

Failures are typed, because the poller treats them differently and the shipment's tracking
status shows them to the merchant: `CarrierAuthFailed` (credentials rejected: CARRIER_ERROR
until they are fixed), `TrackingNotFound` (the carrier does not know the number: after
repeated answers, NOT_FOUND_AT_CARRIER), `CarrierRateLimited` (429: wait `retry_after`),
`CarrierUnavailable` (timeouts, 5xx, malformed bodies: retry with backoff). The message of
each is shown to merchants, so it says what happened in plain words and holds no secret.

An adapter registers through an `AdapterSpec` (see parcelgraph/tracking/carriers/): its
name, the carrier codes it serves, its production base URL, the credential fields it needs
and a `build` function taking an `AdapterContext`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from parcelgraph.tracking.credentials import AdapterContext


class CarrierError(Exception):
    """A carrier call failed; `str(error)` is a plain-words sentence for merchants."""


class CarrierUnavailable(CarrierError):
    """The carrier could not be asked right now (timeout, 5xx, malformed answer): retry later."""


class CarrierResponseInvalid(CarrierUnavailable):
    """The carrier answered with a body that is not its documented shape (not JSON, ...)."""


class CarrierRateLimited(CarrierUnavailable):
    """The carrier answered 429; ask again after `retry_after` seconds (None: not said)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class CarrierAuthFailed(CarrierError):
    """The carrier rejected the credentials (401/403, bad client secret, expired key)."""


class TrackingNotFound(CarrierError):
    """The carrier does not know this tracking number (yet)."""


@dataclass(frozen=True, slots=True)
class TrackingRequest:
    """What an adapter is asked: one parcel, and the moment of asking."""

    tracking_number: str
    carrier_reference: str | None
    direction: str
    shipped_at: datetime
    now: datetime
    # Some carriers (DPD, GLS, PostNL) want the destination to disclose a parcel's details.
    destination_country: str | None = None
    destination_postal_code: str | None = None


@dataclass(frozen=True, slots=True)
class RawStatus:
    """A carrier status as the carrier reports it, before normalization.

    `occurred_at` is timezone-aware: adapters turn the carrier's local times into aware
    datetimes (with the scan's offset when the carrier gives one). `event_id` is the
    carrier's own identity of the scan when it has one; the normalizer prefers it to a
    digest of the facts. `details` carries what the catalogue has no column for (the
    carrier's service level, a proof-of-delivery image URL, the raw description).
    """

    code: str
    message: str
    occurred_at: datetime
    location: str | None = None
    event_id: str | None = None
    country_code: str | None = None
    postal_code: str | None = None
    signed_by: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TrackingUpdate:
    """Everything the carrier reports for a parcel (its whole history, as carriers send it)."""

    statuses: list[RawStatus] = field(default_factory=list)
    estimated_arrival: tuple[datetime, datetime] | None = None


FetchResult = TrackingUpdate | CarrierError
"""One number's answer in a batch: its update, or the error about that number alone."""


class CarrierAdapter(Protocol):
    """A client of one carrier's tracking API."""

    @property
    def name(self) -> str:
        """The adapter's name, as used in `carrier_adapters` and in credentials."""
        ...

    @property
    def status_map(self) -> Mapping[str, str]:
        """The carrier's status codes mapped to catalogue event names."""
        ...

    @property
    def batch_size(self) -> int:
        """How many numbers one `fetch_many` call may carry (1: the API takes one)."""
        ...

    async def fetch(self, request: TrackingRequest) -> TrackingUpdate:
        """The carrier's statuses for the parcel; raises a `CarrierError` on failure."""
        ...

    async def fetch_many(self, requests: Sequence[TrackingRequest]) -> Mapping[str, FetchResult]:
        """Answers keyed by tracking number; raises a `CarrierError` when the whole call failed.

        A number missing from the answer counts as not found.
        """
        ...


async def fetch_each(
    adapter: CarrierAdapter, requests: Sequence[TrackingRequest]
) -> dict[str, FetchResult]:
    """`fetch_many` for APIs without batches: one call per number, errors kept per number.

    Authentication and rate-limit errors concern every number, so they end the batch.
    """
    results: dict[str, FetchResult] = {}
    for request in requests:
        try:
            results[request.tracking_number] = await adapter.fetch(request)
        except (CarrierAuthFailed, CarrierRateLimited):
            raise
        except CarrierError as error:
            results[request.tracking_number] = error
    return results


@dataclass(frozen=True)
class AdapterSpec:
    """How an adapter is registered (one per module under parcelgraph/tracking/carriers/).

    `carriers` are the registry codes it serves out of the box (`*` for an aggregator that
    serves any code the settings send to it); `required` the credential fields it cannot
    work without; `base_url` its production API, overridden per adapter name by the
    `carrier_base_urls` setting.
    """

    name: str
    carriers: tuple[str, ...]
    base_url: str
    required: tuple[str, ...]
    build: Callable[[AdapterContext], CarrierAdapter]
    description: str = ""


class UnknownAdapter(LookupError):
    """`carrier_adapters` names an adapter that does not exist."""


@dataclass
class AdapterRegistry:
    """Adapters by name, and the choice of adapter per carrier code."""

    adapters: dict[str, CarrierAdapter]
    routes: Mapping[str, str]

    def __post_init__(self) -> None:
        missing = sorted(set(self.routes.values()) - set(self.adapters))
        if missing:
            raise UnknownAdapter(f"carrier_adapters names unknown adapters: {missing}")

    def for_carrier(self, carrier_reference: str | None) -> CarrierAdapter | None:
        """The adapter polling `carrier_reference` (the `*` route for the rest), or None."""
        name = self.routes.get((carrier_reference or "").lower()) or self.routes.get("*")
        return self.adapters.get(name) if name else None
