"""AfterShip Tracking API: one account for the long tail of carriers (1,000+ couriers).

AfterShip tracks a number once it is registered: `POST /trackings` with the number (and
the courier `slug` when we know it). `GET /trackings?tracking_numbers=a,b,…` then returns
up to 50 registered trackings per call, each with `checkpoints` (AfterShip's normalized
`tag`/`subtag` per scan, the courier's own `message` and `raw_tag`, location parts,
`checkpoint_time` with the scan's offset), `signed_by` and the courier's estimated delivery
date. The key goes in the `as-api-key` header; the documented limit is 10 requests per
second. A number not registered yet is registered on the spot and reported as not found
for this round (AfterShip fetches it from the courier in the background).

The map (carriers.toml) covers AfterShip's documented delivery sub-statuses (`subtag`),
which is what AfterShip makes of every courier's own codes; the courier's raw code is
kept as detail. AfterShip can also push updates by webhook (wired by the carrier push
endpoint).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time
from typing import Any

from parcelgraph.tracking.adapters import RawStatus, TrackingRequest, TrackingUpdate
from parcelgraph.tracking.carriers.base import CarrierClient, Results
from parcelgraph.tracking.carriers.scans import child, in_order, objects, place, raw_status, text
from parcelgraph.tracking.carriers.times import parse_time
from parcelgraph.tracking.credentials import AdapterContext


class AftershipAdapter(CarrierClient, carrier="aftership"):
    """Any courier AfterShip knows, through one AfterShip account."""

    def __init__(self, context: AdapterContext, **options: Any) -> None:
        super().__init__(context, **options)
        # The courier slug per number, remembered for registering numbers AfterShip lacks.
        self._slugs: dict[str, str | None] = {}

    async def fetch_many(self, requests: Sequence[TrackingRequest]) -> Results:
        """As the base, remembering each number's courier for registration."""
        self._slugs.update({r.tracking_number: _slug(r) for r in requests})
        return await super().fetch_many(requests)

    async def _track_batch(self, numbers: list[str]) -> Results:
        body = await self.answer(
            "GET",
            "/trackings",
            params={"tracking_numbers": ",".join(numbers)},
            headers=self._headers(),
        )
        if body is None:
            return {}
        results: Results = {}
        for tracking in objects(child(body, "data").get("trackings")):
            number = text(tracking.get("tracking_number"))
            if number in numbers:
                results[number] = tracking_update(tracking)
        for number in numbers:
            if number not in results:
                await self._register(number)
        return results

    async def _register(self, number: str) -> None:
        tracking: dict[str, str] = {"tracking_number": number}
        if slug := self._slugs.get(number):
            tracking["slug"] = slug
        # 4003 "tracking already exists" is fine: someone registered it first.
        await self.http.send("POST", "/trackings", json=tracking, headers=self._headers())

    def _headers(self) -> dict[str, str]:
        return {"as-api-key": self.credential("api_key"), "Content-Type": "application/json"}


# Our carrier codes where AfterShip's courier slug differs (the rest are the same word).
SLUGS: Mapping[str, str] = {
    "dhlexp": "dhl",
    "hrs": "hermes-de",
    "hermes": "hermes-de",
    "postnl_inter": "postnl-international",
    "postat": "austrian-post",
    "swisspost": "swiss-post",
    "royalmail": "royal-mail",
    "depost": "deutsch-post",
}


def _slug(request: TrackingRequest) -> str | None:
    code = (request.carrier_reference or "").lower()
    if code in ("", "*", AftershipAdapter.name):
        return None  # no courier known: AfterShip detects it from the number
    return SLUGS.get(code, code)


def tracking_update(tracking: Mapping[str, Any]) -> TrackingUpdate:
    """What one AfterShip tracking object (from the API or a webhook) says about the parcel."""
    signed_by = text(tracking.get("signed_by"))
    checkpoints = objects(tracking.get("checkpoints"))
    statuses = in_order(_status(c, signed_by) for c in checkpoints)
    return TrackingUpdate(statuses=statuses, estimated_arrival=_window(tracking))


def _status(checkpoint: Mapping[str, Any], signed_by: str | None) -> RawStatus | None:
    code = text(checkpoint.get("subtag")) or text(checkpoint.get("tag"))
    occurred_at = parse_time(checkpoint.get("checkpoint_time"))
    return raw_status(
        code,
        text(checkpoint.get("message")) or text(checkpoint.get("subtag_message")),
        occurred_at,
        **place(checkpoint, "city", "state", ("country_region", "country_iso3"), "zip"),
        signed_by=signed_by if code and code.startswith("Delivered") else None,
        courier=text(checkpoint.get("slug")),
        courier_code=text(checkpoint.get("raw_tag")),
    )


def _window(tracking: Mapping[str, Any]) -> tuple[datetime, datetime] | None:
    estimate = child(tracking, "courier_estimated_delivery_date")
    low = estimate.get("estimated_delivery_date_min") or estimate.get("estimated_delivery_date")
    high = estimate.get("estimated_delivery_date_max") or estimate.get("estimated_delivery_date")
    start, end = parse_time(low), parse_time(high)
    if start is None or end is None:
        return None
    # Date-only estimates cover the whole day.
    if isinstance(high, str) and len(high) == 10:
        end = datetime.combine(end.date(), time.max, tzinfo=end.tzinfo)
    return (start, end)
