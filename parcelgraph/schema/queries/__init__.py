"""Root query fields of the read graph, one module per entity (registered in schema.root)."""

from parcelgraph.schema.queries.analytics import AnalyticsQuery
from parcelgraph.schema.queries.claims import ClaimQuery
from parcelgraph.schema.queries.events import EventQuery
from parcelgraph.schema.queries.nodes import NodeQuery
from parcelgraph.schema.queries.orders import OrderQuery
from parcelgraph.schema.queries.shipments import ShipmentQuery

READ_QUERIES: tuple[type, ...] = (
    OrderQuery,
    ShipmentQuery,
    EventQuery,
    ClaimQuery,
    NodeQuery,
    AnalyticsQuery,
)
