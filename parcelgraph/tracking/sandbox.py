"""The sandbox carrier: realistic parcel journeys, simulated deterministically from a seed.

No network, no randomness at run time: the journey of a tracking number follows from
(seed, number) alone, and its statuses appear as the injected clock passes their time, so a
demo shows parcels moving and a test moves them by advancing a frozen clock. Journeys run
`time_scale` times faster than real life (a two-day trip takes minutes by default).

Journeys: a plain delivery (with the carrier's own arrival window), a weather delay (with
one status code the map does not know, to show UNMAPPED), a failed attempt then delivery to
a neighbour, a parcel-shop delivery collected by the customer, a parcel-shop delivery never
collected and returned, and, for CUSTOMER_MERCHANT shipments, a customer return. A tracking
number starting with `SANDBOX-<JOURNEY>-` (e.g. `SANDBOX-FAILED_ATTEMPT-1`) picks its
journey; any other number gets one by hash.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from parcelgraph.tracking.adapters import (
    FetchResult,
    RawStatus,
    TrackingRequest,
    TrackingUpdate,
    fetch_each,
)

# The sandbox's own status codes, as a carrier API would send them.
STATUS_MAP: Mapping[str, str] = {
    "LBL": "LABEL_CREATED",
    "PUP": "PICKED_UP_BY_CARRIER",
    "HUB_IN": "ARRIVAL_AT_TRANSPORT_HUB",
    "HUB_OUT": "DEPARTURE_FROM_TRANSPORT_HUB",
    "DEPOT": "ARRIVED_AT_DELIVERY_DEPOT",
    "SCHED": "DELIVERY_DATE_SCHEDULED",
    "DLY_WX": "WEATHER_DELAY",
    "OFD": "OUT_FOR_DELIVERY",
    "NH": "RECIPIENT_NOT_HOME",
    "NEXT": "NEXT_DELIVERY_ATTEMPT_SCHEDULED",
    "OFD2": "OUT_FOR_DELIVERY_SECOND_ATTEMPT",
    "DLV": "SUCCESSFULLY_DELIVERED",
    "DLV_NB": "DELIVERED_TO_NEIGHBOUR",
    "FWD_PS": "NOT_HOME_FORWARDED_TO_PARCEL_SHOP",
    "PS": "DELIVERED_TO_PARCEL_SHOP",
    "PS_REM": "PICKUP_REMINDER",
    "PS_OUT": "PICKED_UP_FROM_PARCEL_SHOP",
    "RTS_NP": "NOT_PICKED_UP_RETURNED",
    "RET_LBL": "RETURN_LABEL_CREATED",
    "RET_DROP": "RETURN_DROPPED_OFF",
    "RET_TRN": "RETURN_IN_TRANSIT",
    "RET_RCV": "RETURN_DELIVERED_TO_MERCHANT",
}

MESSAGES: Mapping[str, str] = {
    "LBL": "Shipment data received",
    "PUP": "Parcel collected from sender",
    "HUB_IN": "Arrived at parcel centre",
    "HUB_OUT": "Departed parcel centre",
    "DEPOT": "Arrived at delivery depot",
    "SCHED": "Delivery planned",
    "DLY_WX": "Delayed by severe weather",
    "INFO_77": "Operational information 77",
    "OFD": "Out for delivery",
    "NH": "Recipient not at home, notification card left",
    "NEXT": "Next delivery attempt scheduled",
    "OFD2": "Out for delivery (second attempt)",
    "DLV": "Delivered",
    "DLV_NB": "Delivered to neighbour",
    "FWD_PS": "Recipient not at home, forwarded to parcel shop",
    "PS": "Ready for collection at parcel shop",
    "PS_REM": "Reminder: parcel waiting for collection",
    "PS_OUT": "Collected by recipient",
    "RTS_NP": "Not collected, returned to sender",
    "RET_LBL": "Return label created",
    "RET_DROP": "Return handed in at drop-off point",
    "RET_TRN": "Return on its way to the merchant",
    "RET_RCV": "Return delivered to merchant",
}

_TRUNK = (("LBL", 0), ("PUP", 3), ("HUB_IN", 9), ("HUB_OUT", 12), ("DEPOT", 22))

# Journey hours after shipping, in real-life time (before `time_scale`).
JOURNEYS: Mapping[str, tuple[tuple[str, float], ...]] = {
    "DELIVERED": (*_TRUNK, ("SCHED", 23), ("OFD", 30), ("DLV", 34)),
    "DELAYED": (
        *_TRUNK[:3],
        ("DLY_WX", 14),
        ("INFO_77", 20),
        ("HUB_OUT", 38),
        ("DEPOT", 48),
        ("OFD", 54),
        ("DLV", 58),
    ),
    "FAILED_ATTEMPT": (
        *_TRUNK,
        ("OFD", 30),
        ("NH", 33),
        ("NEXT", 34),
        ("OFD2", 54),
        ("DLV_NB", 57),
    ),
    "PARCEL_SHOP": (
        *_TRUNK,
        ("OFD", 30),
        ("FWD_PS", 33),
        ("PS", 36),
        ("PS_REM", 84),
        ("PS_OUT", 100),
    ),
    "NOT_COLLECTED": (
        *_TRUNK,
        ("OFD", 30),
        ("FWD_PS", 33),
        ("PS", 36),
        ("PS_REM", 84),
        ("RTS_NP", 204),
    ),
    "RETURN": (("RET_LBL", 0), ("RET_DROP", 20), ("RET_TRN", 30), ("RET_RCV", 60)),
}

# How often each forward journey is picked for a number without a journey prefix.
WEIGHTS: Mapping[str, int] = {
    "DELIVERED": 50,
    "DELAYED": 15,
    "FAILED_ATTEMPT": 15,
    "PARCEL_SHOP": 12,
    "NOT_COLLECTED": 8,
}

HUBS = ("Leipzig, DE", "Hamburg, DE", "Koeln, DE", "Muenchen, DE", "Frankfurt, DE", "Berlin, DE")
# Where the carrier's window opens and closes, around the planned delivery (journey hours).
WINDOW_AFTER_SCHEDULING = (6.0, 14.0)


@dataclass(frozen=True, slots=True)
class Journey:
    """One parcel's simulated history: codes at times, and where it happens."""

    name: str
    steps: tuple[tuple[str, datetime, str | None], ...]
    estimated_arrival: tuple[datetime, datetime] | None
    window_known_at: datetime | None


class SandboxCarrier:
    """The sandbox adapter (see the module docstring)."""

    name = "sandbox"
    status_map = STATUS_MAP
    batch_size = 1

    def __init__(self, *, seed: int = 0, time_scale: float = 240.0) -> None:
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self.seed = seed
        self.time_scale = time_scale

    def journey(self, request: TrackingRequest) -> Journey:
        """The whole simulated journey of the parcel (past and future)."""
        # A simulation, not a secret: a seeded generator is exactly what is wanted.
        rng = random.Random(self._seed_of(request.tracking_number))  # noqa: S311
        name = self._journey_name(request, rng)
        # One pace per parcel: some carriers are quicker, and order is always kept.
        pace = rng.uniform(0.85, 1.2)
        hub, depot = rng.sample(HUBS, 2)
        steps = []
        for code, hours in JOURNEYS[name]:
            location = depot if code in _LAST_MILE else hub
            steps.append((code, self._at(request.shipped_at, hours * pace), location))
        window = None
        known_at = None
        if name == "DELIVERED":
            planned = dict(JOURNEYS[name])["SCHED"] * pace
            opens, closes = WINDOW_AFTER_SCHEDULING
            known_at = self._at(request.shipped_at, planned)
            window = (
                self._at(request.shipped_at, planned + opens),
                self._at(request.shipped_at, planned + closes),
            )
        return Journey(name, tuple(steps), window, known_at)

    async def fetch(self, request: TrackingRequest) -> TrackingUpdate:
        """The statuses whose time has come, as a carrier API returns its history."""
        journey = self.journey(request)
        statuses = [
            RawStatus(code=code, message=MESSAGES[code], occurred_at=moment, location=location)
            for code, moment, location in journey.steps
            if moment <= request.now
        ]
        window = None
        if journey.window_known_at is not None and journey.window_known_at <= request.now:
            window = journey.estimated_arrival
        return TrackingUpdate(statuses=statuses, estimated_arrival=window)

    async def fetch_many(self, requests: Sequence[TrackingRequest]) -> dict[str, FetchResult]:
        """Each parcel's statuses (the sandbox has no batch API to imitate)."""
        return await fetch_each(self, requests)

    def _seed_of(self, tracking_number: str) -> int:
        digest = hashlib.sha256(f"{self.seed}:{tracking_number}".encode()).digest()
        return int.from_bytes(digest[:8], "big")

    @staticmethod
    def _journey_name(request: TrackingRequest, rng: random.Random) -> str:
        if request.direction == "CUSTOMER_MERCHANT":
            return "RETURN"
        number = request.tracking_number.upper()
        for name in WEIGHTS:
            if number.startswith(f"SANDBOX-{name}-"):
                return name
        names = list(WEIGHTS)
        return rng.choices(names, weights=[WEIGHTS[n] for n in names])[0]

    def _at(self, start: datetime, journey_hours: float) -> datetime:
        # Whole seconds: carriers report scans to the second.
        seconds = round(journey_hours * 3600 / self.time_scale)
        return start + timedelta(seconds=seconds)


_LAST_MILE = frozenset(
    {
        "DEPOT",
        "SCHED",
        "OFD",
        "NH",
        "NEXT",
        "OFD2",
        "DLV",
        "DLV_NB",
        "FWD_PS",
        "PS",
        "PS_REM",
        "PS_OUT",
    }
)
