"""The read graph's batch fetchers, one module per entity; importing registers them all."""

from parcelgraph.resolvers.fetchers import claims, events, orders, shipments

__all__ = ["claims", "events", "orders", "shipments"]
