"""Composes the root Query, Mutation and Subscription types from each area's mixins.

Each area (orders, events, webhooks, ...) defines its own `@strawberry.type` classes of root
fields; adding an area means adding its class to one tuple below.
"""

import strawberry
from strawberry.schema.config import StrawberryConfig

from parcelgraph.schema.analytics.queries import AnalyticsQuery
from parcelgraph.schema.claims.mutations import ClaimMutations
from parcelgraph.schema.claims.queries import ClaimQuery
from parcelgraph.schema.common.grouped_execution import GroupedSubscriptionsMixin
from parcelgraph.schema.common.node_query import NodeQuery
from parcelgraph.schema.events.fields import ShipmentEventsMutation, ShipmentEventsQuery
from parcelgraph.schema.events.queries import EventQuery
from parcelgraph.schema.events.shipment_queries import ShipmentQuery
from parcelgraph.schema.events.subscriptions import EventSubscription
from parcelgraph.schema.hardening.extensions import default_extensions
from parcelgraph.schema.orders.compiled_context import CompiledReadsExecutionContext
from parcelgraph.schema.orders.customer_mutations import CustomerOrderMutations
from parcelgraph.schema.orders.mutations import OrderMutation
from parcelgraph.schema.orders.queries import OrderQuery
from parcelgraph.schema.shops.carrier_credentials import (
    CarrierCredentialsMutation,
    CarrierCredentialsQuery,
)
from parcelgraph.schema.shops.fields import ShopQuery
from parcelgraph.schema.tokens.mutations import OrderTokenMutations
from parcelgraph.schema.tokens.public_tracking import PublicTrackingQuery
from parcelgraph.schema.webhooks.fields import WebhookMutation, WebhookQuery

QUERIES: tuple[type, ...] = (
    ShopQuery,
    PublicTrackingQuery,
    ShipmentEventsQuery,
    OrderQuery,
    ShipmentQuery,
    EventQuery,
    ClaimQuery,
    NodeQuery,
    AnalyticsQuery,
    WebhookQuery,
    CarrierCredentialsQuery,
)
MUTATIONS: tuple[type, ...] = (
    ClaimMutations,
    OrderTokenMutations,
    CustomerOrderMutations,
    ShipmentEventsMutation,
    OrderMutation,
    WebhookMutation,
    CarrierCredentialsMutation,
)
SUBSCRIPTIONS: tuple[type, ...] = (EventSubscription,)
EXTRA_TYPES: tuple[type, ...] = ()


class ExecutionContext(GroupedSubscriptionsMixin, CompiledReadsExecutionContext):
    """Compiled plans for hot reads, grouped execution for identical subscriptions."""


class ParcelgraphSchema(strawberry.Schema):
    """The schema, with error logging left to the masking extension (logged once)."""

    def process_errors(self, errors, execution_context=None) -> None:  # type: ignore[no-untyped-def]
        # Expected errors are not worth a log line; unexpected ones are logged with their
        # reference by MaskUnexpectedErrors, which is the one place that sees them.
        return None


def _merge(name: str, parts: tuple[type, ...], description: str) -> type | None:
    # strawberry.tools.merge_types drops descriptions; the root types deserve one too.
    if not parts:
        return None
    return strawberry.type(type(name, parts, {}), description=description)


def build_schema() -> ParcelgraphSchema:
    """Build the schema from the registered root mixins."""
    query = _merge("Query", QUERIES, "Read the shop's orders, shipments, events and claims.")
    mutation = _merge("Mutation", MUTATIONS, "Change orders, shipments, claims and webhooks.")
    subscription = _merge(
        "Subscription", SUBSCRIPTIONS, "Live, resumable streams of events over WebSocket."
    )
    return ParcelgraphSchema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        types=EXTRA_TYPES,
        extensions=default_extensions(),
        config=StrawberryConfig(relay_max_results=100),
        execution_context_class=ExecutionContext,
    )


schema = build_schema()
