"""Carrier push: updates a carrier or aggregator sends on its own, verified, then recorded
exactly like a poll's answer.

A push source knows how its sender proves authenticity and how to read its body
(tracking/carriers/aftership_push.py for AfterShip: `aftership-hmac-sha256`, base64 of
HMAC-SHA256 over the raw body, keyed with the webhook secret stored as `webhook_secret` in
the shop's, or the platform's, `aftership` credentials). A verified body is parsed by the
AfterShip adapter's own code and normalized under the same adapter name, so a scan that
arrives by push and again by poll has one external id and is recorded once.

Nothing is written for a push that fails verification; an unknown shop, adapter or secret
is answered like a bad signature, so the endpoint reveals nothing to a guesser.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from parcelgraph.db import Database
from parcelgraph.models import Shipment, Shop
from parcelgraph.pubsub import Broker, publish_committed
from parcelgraph.resolvers import events as shipment_events
from parcelgraph.resolvers import shops
from parcelgraph.resolvers.events import polling
from parcelgraph.resolvers.events.arrival import ArrivalPolicy
from parcelgraph.resolvers.events.recording import ShipmentScans
from parcelgraph.resolvers.shops import carrier_credentials
from parcelgraph.tracking.adapters import CarrierResponseInvalid, TrackingUpdate
from parcelgraph.tracking.carriers import aftership, aftership_push
from parcelgraph.tracking.normalizer import normalize_all


class PushRejected(Exception):
    """The push was not accepted: `status` is the HTTP answer, the message says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Pushed:
    """One parcel's history as the push carried it."""

    tracking_number: str
    update: TrackingUpdate


@dataclass(frozen=True)
class PushSource:
    """How one sender's pushes are verified and read."""

    adapter: str
    status_map: Mapping[str, str]
    verify: Callable[[str, Mapping[str, str], bytes], bool]
    parse: Callable[[bytes], list[Pushed]]


@dataclass
class PushResult:
    """What a push recorded, and the numbers it named that no shipment of the shop has."""

    recorded: int = 0
    unknown: list[str] = field(default_factory=list)


def _aftership_verify(secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    return aftership_push.verify(body, headers.get(aftership_push.SIGNATURE_HEADER), secret)


def _aftership_parse(body: bytes) -> list[Pushed]:
    try:
        pushed = aftership_push.parse(body)
    except CarrierResponseInvalid as invalid:
        raise PushRejected(400, str(invalid)) from None
    return [Pushed(pushed.tracking_number, pushed.update)]


SOURCES: dict[str, PushSource] = {
    "aftership": PushSource(
        "aftership", aftership.AftershipAdapter.status_map, _aftership_verify, _aftership_parse
    ),
}

_NOT_ACCEPTED = "the push could not be verified"


async def _secret(
    db: Database, cipher: carrier_credentials.CredentialCipher, slug: str, adapter: str
) -> tuple[Shop, str]:
    async with db.reader() as session:
        shop = await shops.get_by_slug(session, slug=slug)
        if shop is None:
            raise PushRejected(401, _NOT_ACCEPTED)
        loaded = await carrier_credentials.load_for_shops(
            session, shop_ids=[shop.id], cipher=cipher
        )
    secret = (loaded.for_shop(shop.id).get(adapter) or {}).get("webhook_secret")
    if not secret:
        raise PushRejected(401, _NOT_ACCEPTED)
    return shop, secret


async def receive(
    *,
    db: Database,
    broker: Broker | None,
    policy: ArrivalPolicy,
    cipher: carrier_credentials.CredentialCipher,
    clock: Callable[[], datetime],
    slug: str,
    adapter: str,
    headers: Mapping[str, str],
    body: bytes,
) -> PushResult:
    """Verify a push for shop `slug`, then record it through the API's ingest path."""
    source, shop, pushed = await _verified(db, cipher, slug, adapter, headers, body)
    now = clock()
    result = PushResult()
    async with db.writer() as session:
        row, shipments = await polling.load_by_tracking_numbers(
            session,
            shop_id=shop.id,
            numbers=[p.tracking_number for p in pushed],  # type: ignore[attr-defined]
        )
        batches = _batches(source, pushed, shipments, result)
        recorded = await shipment_events.ingest(
            session,
            shop=row,
            batches=batches,
            now=now,
            policy=policy,  # type: ignore[arg-type]
        )
        result.recorded = sum(len(done.events) for done in recorded)
        await session.commit()
    if broker is not None:
        await publish_committed(broker, session.info)
    return result


async def _verified(
    db: Database,
    cipher: carrier_credentials.CredentialCipher,
    slug: str,
    adapter: str,
    headers: Mapping[str, str],
    body: bytes,
) -> tuple[PushSource, Shop, list[Pushed]]:
    """The push's source, shop and parcels, once its signature checks out."""
    source = SOURCES.get(adapter)
    if source is None:
        raise PushRejected(404, f"no push endpoint for {adapter!r}")
    shop, secret = await _secret(db, cipher, slug, adapter)
    if not source.verify(secret, headers, body):
        raise PushRejected(401, _NOT_ACCEPTED)
    return source, shop, source.parse(body)


def _batches(
    source: PushSource, pushed: list[Pushed], shipments: list[Shipment], result: PushResult
) -> list[ShipmentScans]:
    """Each pushed parcel's scans, normalized, for the shop's shipment of that number;
    numbers the shop has no shipment for go to `result.unknown`."""
    by_number = {s.tracking_number: s for s in shipments}
    batches = []
    for item in pushed:
        shipment = by_number.get(item.tracking_number)
        if shipment is None:
            result.unknown.append(item.tracking_number)
            continue
        scans = normalize_all(item.update.statuses, adapter=source.adapter,
                              status_map=source.status_map)  # fmt: skip
        batches.append(ShipmentScans(shipment, scans, item.update.estimated_arrival))
    return batches
