"""Order use cases: upsert, place, update, cancel, update a shipment, attribution.

Each takes the write session of one transaction, holds the shop's write lock, loads what it
needs in a fixed number of SELECTs, changes the order in memory, then writes rows and
events together. A refused input raises `Rejected` before anything is written.

Reading order of the upsert path, top-down: `upsert` (entry, validation, create or update,
then trackings and the derived state) → `changes` (the order's own fields and rows) and
`trackings` (tracking numbers attached to drafts) → `aggregate` (drafts, package contents,
state) → `txn.commit_changes` → `store.save` (the SQL). `edits` holds the other edits of
one order, `bulk` many upserts in one call.
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
