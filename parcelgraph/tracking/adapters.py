"""The carrier adapter protocol, and which adapter serves which carrier.

An adapter answers one question: what does the carrier say about this tracking number now?
It returns the carrier's raw statuses (its own code, message, location, time) and, when the
carrier gives one, an arrival window. Mapping codes to catalogue events is the normalizer's
job, so an adapter stays a thin client of one carrier API.

Only the sandbox adapter exists: this project has no network access to carrier APIs, and
real adapters (DHL, UPS, ...) are future work. `carrier_adapters` in the settings maps
carrier codes to adapter names (`*` for every other carrier) and defaults to the sandbox.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class CarrierUnavailable(Exception):
    """The carrier could not be asked right now (timeout, 5xx, rate limit): retry later."""


@dataclass(frozen=True, slots=True)
class TrackingRequest:
    """What an adapter is asked: one parcel, and the moment of asking."""

    tracking_number: str
    carrier_reference: str | None
    direction: str
    shipped_at: datetime
    now: datetime


@dataclass(frozen=True, slots=True)
class RawStatus:
    """A carrier status as the carrier reports it, before normalization."""

    code: str
    message: str
    occurred_at: datetime
    location: str | None = None


@dataclass(frozen=True, slots=True)
class TrackingUpdate:
    """Everything the carrier reports for a parcel (its whole history, as carriers send it)."""

    statuses: list[RawStatus] = field(default_factory=list)
    estimated_arrival: tuple[datetime, datetime] | None = None


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
