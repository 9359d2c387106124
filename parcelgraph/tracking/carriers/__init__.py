"""The carrier adapters that ship with parcelgraph, one module per carrier API.

Each module defines an `AdapterSpec` (parcelgraph/tracking/adapters.py) and is listed in
`SPECS`; the poller builds an adapter from a spec for each set of credentials it meets.
Adding a carrier: write the module (async httpx client, status map, errors mapped onto the
`CarrierError` types), add its spec here, add a fake-server test, document it in
docs/carriers.md.
"""

from parcelgraph.tracking.adapters import AdapterSpec

SPECS: tuple[AdapterSpec, ...] = ()
