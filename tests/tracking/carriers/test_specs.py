"""The shipped adapters register through SPECS and are built from an AdapterContext."""

from __future__ import annotations

import httpx
import pytest

from parcelgraph.tracking.adapters import CarrierAuthFailed
from parcelgraph.tracking.carriers import SPECS
from parcelgraph.tracking.credentials import AdapterContext, CarrierCredentials
from tests.tracking.carriers.cases import CASES, NOW


def test_every_tested_carrier_is_registered_once_with_its_production_url():
    assert sorted(s.name for s in SPECS) == sorted(c.name for c in CASES)
    assert all(s.base_url.startswith("https://") for s in SPECS)
    assert {s.name: s.required for s in SPECS} == {
        "dhl": ("api_key",),
        "ups": ("client_id", "client_secret"),
        "fedex": ("client_id", "client_secret"),
        "usps": ("client_id", "client_secret"),
        "postnl": ("api_key",),
        "gls": ("client_id", "client_secret"),
        "royalmail": ("client_id", "client_secret"),
        "aftership": ("api_key",),
    }
    assert next(s for s in SPECS if s.name == "aftership").carriers == ("*",)


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
async def test_a_missing_credential_is_an_auth_failure_in_plain_words(spec, fake):
    async with httpx.AsyncClient() as http:
        context = AdapterContext(CarrierCredentials(), fake.url, http, lambda: NOW)
        adapter = spec.build(context)
        case = next(c for c in CASES if c.name == spec.name)

        with pytest.raises(CarrierAuthFailed, match=f"no {spec.required[0]} is configured"):
            await adapter.fetch(case.request())

    assert adapter.name == spec.name
    assert fake.seen == []  # nothing was sent without credentials
