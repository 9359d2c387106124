"""The carrier adapters that ship with parcelgraph, one module per carrier API.

Each module defines an `AdapterSpec` (parcelgraph/tracking/adapters.py) and is listed in
`SPECS`; the poller builds an adapter from a spec for each set of credentials it meets.
Adding a carrier: write its section of carriers.toml (documented status codes, base URL,
credentials, rate), write the module (async httpx client, errors mapped onto the
`CarrierError` types), add its spec here, add a fake-server test, document it in
docs/carriers.md.
"""

from parcelgraph.tracking.adapters import AdapterSpec
from parcelgraph.tracking.carriers.aftership import AftershipAdapter
from parcelgraph.tracking.carriers.dhl import DhlAdapter
from parcelgraph.tracking.carriers.fedex import FedexAdapter
from parcelgraph.tracking.carriers.gls import GlsAdapter
from parcelgraph.tracking.carriers.postnl import PostnlAdapter
from parcelgraph.tracking.carriers.royalmail import RoyalmailAdapter
from parcelgraph.tracking.carriers.ups import UpsAdapter
from parcelgraph.tracking.carriers.usps import UspsAdapter

SPECS: tuple[AdapterSpec, ...] = tuple(
    adapter.spec()
    for adapter in (
        DhlAdapter,
        UpsAdapter,
        FedexAdapter,
        UspsAdapter,
        PostnlAdapter,
        GlsAdapter,
        RoyalmailAdapter,
        AftershipAdapter,
    )
)
