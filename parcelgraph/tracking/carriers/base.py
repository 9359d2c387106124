"""What every carrier client shares: the status table, batching, token retry, time parsing.

A carrier module declares its documented status codes as a `StatusTable` (code → catalogue
event, with the carrier's own wording), its default base URL and rate, and implements
`_track_batch` for one call to the carrier. `fetch` and `fetch_many` come from here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import ClassVar

from parcelgraph.domain import catalogue
from parcelgraph.tracking.adapters import (
    CarrierAuthFailed,
    CarrierUnavailable,
    TrackingNotFound,
    TrackingRequest,
    TrackingUpdate,
)
from parcelgraph.tracking.carriers.credentials import CarrierCredentials
from parcelgraph.tracking.carriers.http import CarrierHttp, HttpPolicy, Sleep
from parcelgraph.tracking.carriers.oauth import TokenSource


@dataclass(frozen=True, slots=True)
class Code:
    """One documented carrier code, the catalogue event it means, and the carrier's words."""

    code: str
    event: str
    meaning: str


class StatusTable(Mapping[str, str]):
    """A carrier's documented codes; reads as `code → event name` for the normalizer."""

    def __init__(self, carrier: str, rows: Iterable[Code], *, unmapped: Iterable[str] = ()) -> None:
        self.carrier = carrier
        self.rows: tuple[Code, ...] = tuple(rows)
        # Documented codes that say nothing we could map (e.g. DHL's `unknown`): left out
        # of the map on purpose so the normalizer keeps them as UNMAPPED with raw text.
        self.unmapped: tuple[str, ...] = tuple(unmapped)
        self._index = {row.code: row.event for row in self.rows}
        if len(self._index) != len(self.rows) or set(self._index) & set(self.unmapped):
            raise ValueError(f"{carrier}: a status code is listed twice")
        bad = sorted(
            {r.event for r in self.rows if not catalogue.exists(r.event) or r.event == "UNMAPPED"}
        )
        if bad:
            raise ValueError(f"{carrier}: events not in the catalogue (or UNMAPPED): {bad}")

    def __getitem__(self, code: str) -> str:
        return self._index[code]

    def __iter__(self):  # type: ignore[override]
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


Results = dict[str, TrackingUpdate | CarrierUnavailable]


class CarrierClient:
    """Base of the carrier adapters (see the module docstring)."""

    name: ClassVar[str]
    status_map: ClassVar[StatusTable]
    default_base_url: ClassVar[str]
    max_batch: ClassVar[int] = 1
    policy: ClassVar[HttpPolicy] = HttpPolicy()

    def __init__(
        self,
        credentials: CarrierCredentials,
        *,
        policy: HttpPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.credentials = credentials
        self.http = CarrierHttp(
            self.name,
            credentials.base_url or self.default_base_url,
            policy or self.policy,
            sleep=sleep,
        )
        self.tokens: TokenSource | None = None

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self.http.aclose()

    async def fetch(self, request: TrackingRequest) -> TrackingUpdate:
        """The carrier's statuses for one parcel; raises CarrierUnavailable (or a subclass)."""
        result = (await self.fetch_many([request]))[request.tracking_number]
        if isinstance(result, CarrierUnavailable):
            raise result
        return result

    async def fetch_many(self, requests: Sequence[TrackingRequest]) -> Results:
        """Per tracking number its update or error, in batches of `max_batch` per call."""
        numbers = list(dict.fromkeys(r.tracking_number for r in requests))
        batches = [numbers[i : i + self.max_batch] for i in range(0, len(numbers), self.max_batch)]
        results: Results = {}
        for part in await asyncio.gather(*(self._batch_or_error(b) for b in batches)):
            results.update(part)
        return results

    async def _batch_or_error(self, numbers: list[str]) -> Results:
        try:
            found = await self._with_token_retry(numbers)
        except CarrierUnavailable as error:
            return dict.fromkeys(numbers, error)
        return {
            n: found.get(n) or TrackingNotFound(f"{self.name} does not know {n}") for n in numbers
        }

    async def _with_token_retry(self, numbers: list[str]) -> Results:
        # An OAuth token can be revoked before its expiry: refresh once, then give up.
        try:
            return await self._track_batch(numbers)
        except CarrierAuthFailed:
            if self.tokens is None or self.tokens.fetched == 0:
                raise
            self.tokens.invalidate(await self.tokens.token())
            return await self._track_batch(numbers)

    async def _track_batch(self, numbers: list[str]) -> Results:
        """One call to the carrier for `numbers`; a missing key means not found."""
        raise NotImplementedError


def parse_time(value: object, *, offset: str | None = None) -> datetime | None:
    """An ISO 8601 time as an aware datetime; a naive one takes `offset` (±HH:MM) or UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=parse_offset(offset) or UTC)
    return moment


def parse_offset(value: str | None) -> timezone | None:
    """`-05:00` / `+0100` as a fixed timezone, or None."""
    if not value:
        return None
    text = value.strip().replace(":", "")
    if len(text) != 5 or text[0] not in "+-" or not text[1:].isdigit():
        return None
    delta = timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))
    return timezone(-delta if text[0] == "-" else delta)


def text(value: object) -> str | None:
    """A stripped non-empty string, or None."""
    return value.strip() or None if isinstance(value, str) else None
