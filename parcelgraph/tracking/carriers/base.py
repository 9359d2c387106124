"""What every carrier client shares: the status table, batching, token retry, time parsing.

A carrier module declares its documented status codes as a `StatusTable` (code → catalogue
event, with the carrier's own wording), its default base URL and rate, and implements
`_track_batch` for one call to the carrier. `fetch`, `fetch_many` (with the protocol's
error rules), the spec that registers the adapter and the OAuth retry come from here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import ClassVar

from parcelgraph.domain import catalogue
from parcelgraph.tracking.adapters import (
    AdapterSpec,
    CarrierAuthFailed,
    CarrierError,
    CarrierRateLimited,
    CarrierResponseInvalid,
    FetchResult,
    RawStatus,
    TrackingNotFound,
    TrackingRequest,
    TrackingUpdate,
)
from parcelgraph.tracking.carriers.http import CarrierHttp, HttpPolicy, Sleep
from parcelgraph.tracking.carriers.oauth import TokenSource
from parcelgraph.tracking.credentials import AdapterContext


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


Results = dict[str, FetchResult]

logger = logging.getLogger(__name__)


class CarrierClient:
    """Base of the carrier adapters (see the module docstring)."""

    name: ClassVar[str]
    status_map: ClassVar[StatusTable]
    default_base_url: ClassVar[str]
    carriers: ClassVar[tuple[str, ...]]
    required: ClassVar[tuple[str, ...]]
    description: ClassVar[str] = ""
    batch_size: ClassVar[int] = 1
    policy: ClassVar[HttpPolicy] = HttpPolicy()

    def __init__(
        self,
        context: AdapterContext,
        *,
        policy: HttpPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.context = context
        self.http = CarrierHttp(
            self.name, context.http, context.base_url, policy or self.policy, sleep=sleep
        )
        self.tokens: TokenSource | None = None

    @classmethod
    def spec(cls) -> AdapterSpec:
        """The registration of this adapter (listed in `carriers.SPECS`)."""
        return AdapterSpec(
            name=cls.name,
            carriers=cls.carriers,
            base_url=cls.default_base_url,
            required=cls.required,
            build=cls,
            description=cls.description,
        )

    def credential(self, field: str) -> str:
        """A credential value; its absence is a configuration error shown to the merchant."""
        value = getattr(self.context.credentials, field, None)
        if not value:
            raise CarrierAuthFailed(f"no {field} is configured for {self.name}")
        return value

    async def fetch(self, request: TrackingRequest) -> TrackingUpdate:
        """The carrier's statuses for one parcel; raises a CarrierError on failure."""
        result = (await self.fetch_many([request])).get(request.tracking_number)
        if result is None:
            raise TrackingNotFound(f"{self.name} does not know {request.tracking_number}")
        if isinstance(result, CarrierError):
            raise result
        return result

    async def fetch_many(self, requests: Sequence[TrackingRequest]) -> Results:
        """Answers per tracking number, `batch_size` numbers per call to the carrier.

        Rejected credentials and rate limits concern every number, so they raise; any other
        failure is kept for the numbers of the call that failed. A number the carrier did
        not answer for is missing from the result (not found).
        """
        numbers = list(dict.fromkeys(r.tracking_number for r in requests))
        size = self.batch_size
        results: Results = {}
        # One batch after the other: the rate budget paces them anyway, and a rejected
        # credential or a 429 stops the remaining calls instead of piling onto the carrier.
        for start in range(0, len(numbers), size):
            results.update(await self._batch(numbers[start : start + size]))
        return results

    async def _batch(self, numbers: list[str]) -> Results:
        try:
            return await self._with_token_retry(numbers)
        except (CarrierAuthFailed, CarrierRateLimited):
            raise
        except CarrierError as error:
            return dict.fromkeys(numbers, error)
        except (KeyError, TypeError, AttributeError, ValueError):
            # JSON of an undocumented shape (a list where an object was promised...): the
            # carrier changed its format. Logged with the trace, reported as unreadable.
            logger.warning("%s sent an answer of an unexpected shape", self.name, exc_info=True)
            invalid = CarrierResponseInvalid(f"{self.name} sent an answer we could not read")
            return dict.fromkeys(numbers, invalid)

    async def _with_token_retry(self, numbers: list[str]) -> Results:
        # An OAuth token can be revoked before its expiry: refresh once, then give up.
        try:
            return await self._track_batch(numbers)
        except CarrierAuthFailed:
            if self.tokens is None or not self.tokens.holds_token():
                raise
            self.tokens.invalidate()
            return await self._track_batch(numbers)

    async def _track_batch(self, numbers: list[str]) -> Results:
        """One call to the carrier for `numbers`; a number left out is not found."""
        raise NotImplementedError


def raw_status(
    code: str,
    message: str | None,
    occurred_at: datetime,
    *,
    city: str | None = None,
    region: str | None = None,
    country_code: str | None = None,
    postal_code: str | None = None,
    event_id: str | None = None,
    signed_by: str | None = None,
    site: str | None = None,
    **details: object,
) -> RawStatus:
    """A RawStatus with a readable location and only the details that have a value.

    The location is `city, region, country` from the parts given, or the carrier's own
    name for the `site` when it names a site rather than a city (Royal Mail's "Stafford DO").
    """
    location = site or ", ".join(p for p in (city, region, country_code) if p) or None
    return RawStatus(
        code=code,
        message=message or code,
        occurred_at=occurred_at,
        location=location,
        event_id=event_id,
        country_code=country_code,
        postal_code=postal_code,
        signed_by=signed_by,
        details={k: v for k, v in details.items() if v not in (None, "", False)},
    )


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
