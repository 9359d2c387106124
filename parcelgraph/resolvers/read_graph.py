"""The read graph's loaders: importing every area's fetchers registers them in `FETCHERS`.

Each area keeps its batch fetchers beside its SQL (`<area>/fetchers.py`); the per-request
DataLoaders in `parcelgraph.context` look them up here by name.
"""

from parcelgraph.resolvers.claims import fetchers as claims
from parcelgraph.resolvers.common.loaders import FETCHERS
from parcelgraph.resolvers.events import fetchers as events
from parcelgraph.resolvers.events import shipment_fetchers as shipments
from parcelgraph.resolvers.orders import fetchers as orders

__all__ = ["FETCHERS", "claims", "events", "orders", "shipments"]
