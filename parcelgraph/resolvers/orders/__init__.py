"""Order use cases: upsert, place, update, cancel, update a shipment, attribution.

Each takes the write session of one transaction, holds the shop's write lock, loads what it
needs in a fixed number of SELECTs, changes the order in memory (order_apply, trackings),
then writes rows and events together (order_store.save, event_log.append). A refused input
raises `Rejected` before anything is written. Bulk fulfilment lives in `bulk`.
"""

from parcelgraph.resolvers.orders.edits import cancel, update, update_shipment, upsert_analytics
from parcelgraph.resolvers.orders.txn import UNSET, OrderRef, OrderResult, commit_changes
from parcelgraph.resolvers.orders.upsert import place, upsert

__all__ = [
    "UNSET",
    "OrderRef",
    "OrderResult",
    "cancel",
    "commit_changes",
    "place",
    "update",
    "update_shipment",
    "upsert",
    "upsert_analytics",
]
