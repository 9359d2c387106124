"""What every carrier client shares: batching, the protocol's error rules, token retry.

A carrier module names its section of `carriers.toml` (its documented status codes, base
URL, credentials, batch size and rate; see facts.py) with `carrier=` in its class statement,
and implements `_track_batch` (or `_track_one`, one number per call) for one call to the
carrier, reading the answer with the helpers of scans.py.
`fetch`, `fetch_many` (with the protocol's error rules), the spec that registers the
adapter, the OAuth token (`bearer`) and its retry come from here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from parcelgraph.tracking.adapters import (
    AdapterSpec,
    CarrierAuthFailed,
    CarrierError,
    CarrierRateLimited,
    CarrierResponseInvalid,
    FetchResult,
    TrackingNotFound,
    TrackingRequest,
    TrackingUpdate,
)
from parcelgraph.tracking.carriers.facts import CARRIERS, CarrierFacts
from parcelgraph.tracking.carriers.http import CarrierHttp, HttpPolicy, Sleep, json_object
from parcelgraph.tracking.carriers.oauth import TokenSource
from parcelgraph.tracking.carriers.table import StatusTable
from parcelgraph.tracking.credentials import AdapterContext

Results = dict[str, FetchResult]

logger = logging.getLogger(__name__)


class CarrierClient:
    """Base of the carrier adapters (see the module docstring)."""

    # Set by `carrier=` in the class statement (`class DhlAdapter(CarrierClient, carrier="dhl")`):
    # the carrier's documented facts (carriers.toml), and the three of them the poller and
    # the normalizer read off any adapter.
    facts: ClassVar[CarrierFacts]
    name: ClassVar[str]
    status_map: ClassVar[StatusTable]
    batch_size: ClassVar[int]

    def __init_subclass__(cls, *, carrier: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.facts = CARRIERS[carrier]
        cls.name = cls.facts.name
        cls.status_map = cls.facts.status_map
        cls.batch_size = cls.facts.batch_size

    def __init__(
        self,
        context: AdapterContext,
        *,
        policy: HttpPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.context = context
        self.http = CarrierHttp(
            self.name, context.http, context.base_url, policy or self.facts.policy, sleep=sleep
        )
        self.tokens: TokenSource | None = None

    @classmethod
    def spec(cls) -> AdapterSpec:
        """The registration of this adapter (listed in `carriers.SPECS`)."""
        facts = cls.facts
        return AdapterSpec(
            name=facts.name,
            carriers=facts.carriers,
            base_url=facts.base_url,
            required=facts.required,
            build=cls,
            description=facts.description,
        )

    def credential(self, field: str) -> str:
        """A credential value; its absence is a configuration error shown to the merchant."""
        value = getattr(self.context.credentials, field, None)
        if not value:
            raise CarrierAuthFailed(f"no {field} is configured for {self.name}")
        return value

    async def bearer(self) -> str:
        """`Bearer <token>` for the Authorization header (OAuth 2 carriers, see `oauth_path`)."""
        if self.tokens is None:
            path = self.facts.oauth_path
            assert path is not None, f"{self.name} declares no token endpoint"
            self.tokens = TokenSource(
                self.http,
                path=path,
                client_id=self.credential("client_id"),
                client_secret=self.credential("client_secret"),
                client_auth=self.facts.oauth_client_auth,
            )
        return f"Bearer {await self.tokens.token()}"

    async def answer(self, method: str, path: str, **kwargs: Any) -> Mapping[str, Any] | None:
        """The carrier's JSON object for one call, or None when it answers 404 (not known)."""
        response = await self.http.send(method, path, **kwargs)
        if response.status_code == 404:
            return None
        return json_object(self.name, response)

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
        """One call to the carrier for `numbers`; a number left out is not found.

        Carriers that take one number per call (`batch_size` 1) write `_track_one` instead.
        """
        (number,) = numbers
        update = await self._track_one(number)
        return {number: update} if update is not None else {}

    async def _track_one(self, number: str) -> TrackingUpdate | None:
        """One call to the carrier for one number; None when it does not know the number."""
        raise NotImplementedError
