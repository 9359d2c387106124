"""Which adapter asks about a parcel, with which credentials, or why nobody does.

The rule that keeps invented scans away from real parcels lives here: the sandbox serves
only sandbox trackings (carrier code `sandbox`, or any parcel of a sandbox shop). A real
carrier is served by the adapter the settings route it to (`carrier_adapters`), else by the
adapter whose spec lists it, else by the `*` route or an aggregator (a spec serving `*`),
the first of these with credentials (the shop's own, else the platform default); with no
adapter or no credentials, the parcel is not polled and its tracking state says why.

Adapters are built once per (adapter, credentials) and kept, so OAuth tokens are cached
across ticks; new credentials build a new adapter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import httpx

from parcelgraph.domain import carriers
from parcelgraph.domain.tracking_schedule import TrackingState
from parcelgraph.tracking.adapters import AdapterSpec, CarrierAdapter, UnknownAdapter
from parcelgraph.tracking.credentials import AdapterContext, CarrierCredentials
from parcelgraph.tracking.sandbox import SandboxCarrier

SANDBOX = "sandbox"


@dataclass(frozen=True)
class Route:
    """The answer for one parcel: an adapter to ask, or the state that says why not."""

    adapter: CarrierAdapter | None
    state: TrackingState
    reason: str | None = None
    pace: float = 1.0

    @property
    def simulated(self) -> bool:
        """True when the sandbox answers (its scans are marked simulated)."""
        return self.adapter is not None and self.adapter.name == SANDBOX


class Router:
    """Routes parcels to adapters (see the module docstring)."""

    def __init__(
        self,
        *,
        specs: Sequence[AdapterSpec],
        routes: Mapping[str, str],
        base_urls: Mapping[str, str],
        http: httpx.AsyncClient,
        clock: Callable[[], datetime],
        sandbox: SandboxCarrier,
    ) -> None:
        self.specs = {spec.name: spec for spec in specs}
        self.routes = {code.lower(): name for code, name in routes.items()}
        unknown = sorted(set(self.routes.values()) - set(self.specs))
        if unknown:
            raise UnknownAdapter(
                f"carrier_adapters names adapters that do not exist: {unknown} "
                f"(known: {sorted(self.specs)}; the sandbox serves only sandbox trackings)"
            )
        self.base_urls = dict(base_urls)
        self.http = http
        self.clock = clock
        self.sandbox = sandbox
        self._built: dict[tuple[str, str], CarrierAdapter] = {}

    def specs_for(self, carrier_reference: str) -> list[AdapterSpec]:
        """The adapters that may serve a carrier code, best first: the settings' route, an
        adapter listing the code, the `*` route, then any aggregator (serving `*`)."""
        code = carrier_reference.lower()
        found = []
        if code in self.routes:
            found.append(self.specs[self.routes[code]])
        found += [spec for spec in self.specs.values() if code in spec.carriers]
        if "*" in self.routes:
            found.append(self.specs[self.routes["*"]])
        found += [spec for spec in self.specs.values() if "*" in spec.carriers]
        return list(dict.fromkeys(found))

    def route(
        self,
        *,
        carrier_reference: str | None,
        sandbox_shop: bool,
        credentials: Mapping[str, Mapping[str, str]],
        broken: Mapping[str, str] | None = None,
    ) -> Route:
        """The adapter for one parcel, given its shop's credentials (adapter → values).

        The first candidate with usable credentials wins, so a carrier without its own
        account is tracked through the aggregator's.
        """
        if sandbox_shop or (carrier_reference or "").lower() == SANDBOX:
            return Route(self.sandbox, TrackingState.ACTIVE, pace=self.sandbox.time_scale)
        if not carrier_reference:
            return Route(None, TrackingState.UNKNOWN_CARRIER, _NO_CARRIER)
        candidates = self.specs_for(carrier_reference)
        if not candidates:
            name = _carrier_name(carrier_reference)
            reason = f"parcelgraph has no adapter for {name}; route it to an aggregator."
            return Route(None, TrackingState.NOT_CONFIGURED, reason)
        for spec in candidates:
            if broken and spec.name in broken:
                return Route(None, TrackingState.CARRIER_ERROR, f"{spec.name}: {broken[spec.name]}")
            values = credentials.get(spec.name)
            given = CarrierCredentials(**dict(values)) if values else CarrierCredentials()
            if not given.is_empty() and given.has(*spec.required):
                return Route(self._adapter(spec, given), TrackingState.ACTIVE)
        names = " or ".join(spec.name for spec in candidates)
        reason = f"No {names} credentials are set for this shop or the platform."
        return Route(None, TrackingState.NOT_CONFIGURED, reason)

    def _adapter(self, spec: AdapterSpec, credentials: CarrierCredentials) -> CarrierAdapter:
        key = (spec.name, credentials.fingerprint())
        if key not in self._built:
            context = AdapterContext(
                credentials=credentials,
                base_url=self.base_urls.get(spec.name, spec.base_url).rstrip("/"),
                http=self.http,
                clock=self.clock,
            )
            self._built[key] = spec.build(context)
        return self._built[key]


_NO_CARRIER = (
    "No carrier was recognised from the tracking number or company; "
    "send carrierReference to have it tracked."
)


def _carrier_name(code: str) -> str:
    try:
        return carriers.get_carrier(code).name
    except carriers.UnknownCarrier:
        return code
