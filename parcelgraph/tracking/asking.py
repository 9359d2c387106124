"""Asking carriers for the poller: one batch call per chunk, answers kept per parcel, and
the digest that tells an unchanged history from a new one."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

from parcelgraph.resolvers.events.polling import Due
from parcelgraph.tracking.adapters import (
    CarrierAdapter,
    CarrierError,
    FetchResult,
    TrackingRequest,
    TrackingUpdate,
)
from parcelgraph.tracking.normalizer import external_id
from parcelgraph.tracking.routing import Route

logger = logging.getLogger(__name__)


@dataclass
class Asked:
    """A claimed parcel, its route, and (once asked) the carrier's answer."""

    due: Due
    route: Route
    result: FetchResult | None = None


async def ask_chunk(chunk: list[Asked], now: datetime) -> None:
    adapter: CarrierAdapter = chunk[0].route.adapter  # type: ignore[assignment]
    requests = [request_for(item.due, now) for item in chunk]
    try:
        answers = await adapter.fetch_many(requests)
    except CarrierError as error:
        for item in chunk:
            item.result = error
        return
    except Exception as error:  # a bug in one adapter must not stop every carrier's polls
        logger.exception("carrier adapter %s failed unexpectedly", adapter.name)
        for item in chunk:
            item.result = CarrierError(f"the adapter failed unexpectedly ({type(error).__name__})")
        return
    for item in chunk:
        item.result = answers.get(item.due.tracking_number)


def request_for(due: Due, now: datetime) -> TrackingRequest:
    return TrackingRequest(
        tracking_number=due.tracking_number,
        carrier_reference=due.carrier_reference,
        direction=due.direction,
        shipped_at=due.shipped_at,
        now=now,
        destination_country=due.destination_country,
    )


def digest_of(item: Asked) -> str:
    update: TrackingUpdate = item.result  # type: ignore[assignment]
    name = item.route.adapter.name if item.route.adapter else ""
    parts = [external_id(name, status) for status in update.statuses]
    parts.append(repr(update.estimated_arrival))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()
