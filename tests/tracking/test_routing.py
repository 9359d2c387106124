"""Which adapter asks about a parcel: sandbox only for sandbox trackings, real carriers
through their adapter or an aggregator, and only with credentials."""

import httpx
import pytest

from parcelgraph.models.types import utcnow
from parcelgraph.tracking.adapters import AdapterSpec, UnknownAdapter
from parcelgraph.tracking.routing import Router
from parcelgraph.tracking.sandbox import SandboxCarrier


class Named:
    def __init__(self, name: str) -> None:
        self.name = name


def spec(name: str, carriers: tuple[str, ...], required: tuple[str, ...]) -> AdapterSpec:
    return AdapterSpec(name=name, carriers=carriers, base_url="http://127.0.0.1:9",
                       required=required, build=lambda context: Named(name))  # type: ignore[arg-type,return-value]  # fmt: skip


SPECS = [spec("ups", ("ups",), ("client_id", "client_secret")), spec("agg", ("*",), ("api_key",))]
UPS_KEYS = {"ups": {"client_id": "id", "client_secret": "secret"}}
AGG_KEYS = {"agg": {"api_key": "key"}}


def router(routes: dict[str, str] | None = None) -> Router:
    return Router(specs=SPECS, routes=routes or {}, base_urls={}, http=httpx.AsyncClient(),
                  clock=utcnow, sandbox=SandboxCarrier())  # fmt: skip


@pytest.mark.parametrize(
    ("carrier", "sandbox_shop", "credentials", "adapter", "state", "reason"),
    [
        ("ups", False, UPS_KEYS, "ups", "ACTIVE", None),
        ("ups", False, AGG_KEYS, "agg", "ACTIVE", None),
        ("gls", False, AGG_KEYS, "agg", "ACTIVE", None),
        ("ups", False, {"ups": {"client_id": "id"}}, None, "NOT_CONFIGURED",
         "No ups or agg credentials are set for this shop or the platform."),
        ("gls", False, {}, None, "NOT_CONFIGURED",
         "No agg credentials are set for this shop or the platform."),
        (None, False, AGG_KEYS, None, "UNKNOWN_CARRIER",
         "No carrier was recognised from the tracking number or company; "
         "send carrierReference to have it tracked."),
        ("sandbox", False, {}, "sandbox", "ACTIVE", None),
        ("ups", True, {}, "sandbox", "ACTIVE", None),
    ],
)  # fmt: skip
def test_routes(carrier, sandbox_shop, credentials, adapter, state, reason):
    route = router().route(
        carrier_reference=carrier, sandbox_shop=sandbox_shop, credentials=credentials
    )
    name = route.adapter.name if route.adapter else None
    assert (name, route.state.value, route.reason) == (adapter, state, reason)


def test_a_settings_route_wins_and_the_sandbox_cannot_be_routed_to():
    assert (
        router({"ups": "agg"})
        .route(carrier_reference="ups", sandbox_shop=False, credentials={**UPS_KEYS, **AGG_KEYS})
        .adapter.name
        == "agg"
    )  # type: ignore[union-attr]
    with pytest.raises(UnknownAdapter):
        router({"*": "sandbox"})
