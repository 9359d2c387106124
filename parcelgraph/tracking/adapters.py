"""The carrier adapter protocol, and which adapter serves which carrier.

An adapter answers one question: what does the carrier say about this tracking number now?
It returns the carrier's raw statuses (its own code, message, location, time) and, when the
carrier gives one, an arrival window. Mapping codes to catalogue events is the normalizer's
job, so an adapter stays a thin client of one carrier API.

The sandbox adapter simulates journeys; the real carrier clients live in
`parcelgraph.tracking.carriers` (one module per carrier API). `carrier_adapters` in the
settings maps carrier codes to adapter names (`*` for every other carrier).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class CarrierUnavailable(Exception):
    """The carrier could not be asked right now (timeout, 5xx, rate limit): retry later.

    The subclasses below say why, so a poller can tell a wrong credential or an unknown
    number from a passing outage; each is still a CarrierUnavailable, so code that only
    knows this class keeps retrying them with backoff.
    """


class CarrierAuthFailed(CarrierUnavailable):
    """The carrier refused the credentials (401/403, or no token could be obtained)."""


class TrackingNotFound(CarrierUnavailable):
    """The carrier does not know this tracking number (yet)."""


class CarrierRateLimited(CarrierUnavailable):
    """The carrier asked us to slow down; `retry_after` says for how long, when it said."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class CarrierResponseInvalid(CarrierUnavailable):
    """The carrier answered with a body we cannot read (not JSON, or not its documented shape)."""


@dataclass(frozen=True, slots=True)
class TrackingRequest:
    """What an adapter is asked: one parcel, and the moment of asking."""

    tracking_number: str
    carrier_reference: str | None
    direction: str
    shipped_at: datetime
    now: datetime


@dataclass(frozen=True, slots=True)
class Place:
    """Where a scan happened, as structured as the carrier gives it."""

    city: str | None = None
    postal_code: str | None = None
    region: str | None = None
    country_code: str | None = None

    def label(self) -> str | None:
        """`city, region, country` (the parts the carrier gave), or None when it gave none."""
        parts = [p for p in (self.city, self.region, self.country_code) if p]
        return ", ".join(parts) or None


@dataclass(frozen=True, slots=True)
class RawStatus:
    """A carrier status as the carrier reports it, before normalization.

    `code` is the key of the adapter's status map; `detail_code` keeps a finer code the
    carrier sent beside it (kept for review, never guessed from). `occurred_at` is always
    timezone-aware: adapters convert the carrier's local time with the offset it gives.
    """

    code: str
    message: str
    occurred_at: datetime
    location: str | None = None
    detail_code: str | None = None
    place: Place | None = None


@dataclass(frozen=True, slots=True)
class ProofOfDelivery:
    """What the carrier says about the hand-over: who signed, where it was left, links."""

    signed_by: str | None = None
    left_at: str | None = None
    signature_url: str | None = None
    document_url: str | None = None
    has_signature_image: bool = False


@dataclass(frozen=True, slots=True)
class TrackingUpdate:
    """Everything the carrier reports for a parcel (its whole history, as carriers send it)."""

    statuses: list[RawStatus] = field(default_factory=list)
    estimated_arrival: tuple[datetime, datetime] | None = None
    proof_of_delivery: ProofOfDelivery | None = None


class CarrierAdapter(Protocol):
    """A client of one carrier's tracking API."""

    @property
    def name(self) -> str:
        """The adapter's name, as used in `carrier_adapters`."""
        ...

    @property
    def status_map(self) -> Mapping[str, str]:
        """The carrier's status codes mapped to catalogue event names."""
        ...

    async def fetch(self, request: TrackingRequest) -> TrackingUpdate:
        """The carrier's statuses for the parcel; raises CarrierUnavailable to retry."""
        ...


class BatchCarrierAdapter(CarrierAdapter, Protocol):
    """An adapter that can ask about several parcels in one go (the carrier clients do)."""

    @property
    def max_batch(self) -> int:
        """How many tracking numbers one call to the carrier may carry."""
        ...

    async def fetch_many(
        self, requests: Sequence[TrackingRequest]
    ) -> dict[str, TrackingUpdate | CarrierUnavailable]:
        """Per tracking number, its update or the reason it could not be had."""
        ...


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


AdapterFactory = Callable[[], CarrierAdapter]
