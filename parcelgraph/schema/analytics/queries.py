"""Root field `analytics(from, to)`: orders, revenue, shipments, carriers and claims of the
orders placed in a period. Each sub-field is one SQL statement, run only when selected."""

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated

import strawberry

from parcelgraph.resolvers import analytics
from parcelgraph.schema.common.enums import ClaimReasonEnum, OrderStateEnum, PhaseEnum
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.scope import is_customer


@strawberry.enum(description="An attribution field orders can be grouped by.")
class AttributionDimension(Enum):
    """Attribution columns (orderAnalytics)."""

    SOURCE = strawberry.enum_value("source", description="Traffic source, e.g. google.")
    MEDIUM = strawberry.enum_value("medium", description="Medium, e.g. cpc or email.")
    CAMPAIGN = strawberry.enum_value("campaign", description="Campaign name.")


@strawberry.type(description="Orders and revenue of the orders in one state.")
class OrdersByState:
    """A state's share of the period's orders."""

    state: OrderStateEnum = strawberry.field(description="The order state.")  # type: ignore[valid-type]
    order_count: int = strawberry.field(description="Orders in this state.")
    revenue: Decimal = strawberry.field(description="Sum of their totalOrderPrice (exact).")


@strawberry.type(description="Orders and revenue of one attribution group.")
class OrdersByAttribution:
    """One combination of the grouped attribution fields; null = not set (or not grouped)."""

    source: str | None = strawberry.field(description="Traffic source (null: none/not grouped).")
    medium: str | None = strawberry.field(description="Medium (null: none/not grouped).")
    campaign: str | None = strawberry.field(description="Campaign (null: none/not grouped).")
    order_count: int = strawberry.field(description="Orders in this group.")
    revenue: Decimal = strawberry.field(description="Sum of their totalOrderPrice (exact).")


@strawberry.type(description="How many shipments are in one phase.")
class ShipmentsByPhase:
    """A phase's share of the period's shipments (drafts included)."""

    phase: PhaseEnum = strawberry.field(description="The current phase.")  # type: ignore[valid-type]
    shipment_count: int = strawberry.field(description="Shipments in this phase now.")


@strawberry.type(description="How many shipments one carrier has.")
class ShipmentsByCarrier:
    """A carrier's share of the period's shipments (drafts included)."""

    carrier: str | None = strawberry.field(description="Carrier code; null when unknown.")
    shipment_count: int = strawberry.field(description="Shipments with this carrier.")


@strawberry.type(description="Median and 90th percentile of a duration, in hours.")
class DurationStats:
    """Linear-interpolated percentiles (as PostgreSQL percentile_cont), whole seconds."""

    count: int = strawberry.field(description="How many shipments have this duration.")
    median_hours: float | None = strawberry.field(description="Median; null when count is 0.")
    p90_hours: float | None = strawberry.field(description="90th percentile; null when count is 0.")

    @classmethod
    def from_percentiles(cls, value: analytics.Percentiles) -> "DurationStats":
        """Seconds to hours."""
        return cls(
            count=value.count,
            median_hours=None if value.median is None else value.median / 3600,
            p90_hours=None if value.p90 is None else value.p90 / 3600,
        )


@strawberry.type(description="One carrier's fulfilled shipments: failures, claims, speed.")
class CarrierPerformance:
    """Counts over shipments with a tracking number."""

    carrier: str | None = strawberry.field(description="Carrier code; null when unknown.")
    shipment_count: int = strawberry.field(description="Fulfilled shipments.")
    failed_delivery_count: int = strawberry.field(
        description="Shipments with at least one failed delivery attempt."
    )
    failed_delivery_share: float = strawberry.field(
        description="failedDeliveryCount / shipmentCount (0..1)."
    )
    claim_count: int = strawberry.field(description="Claims filed on these shipments.")
    claim_rate: float = strawberry.field(description="claimCount / shipmentCount.")
    placed_to_first_transit: DurationStats = strawberry.field(
        description="From the order being placed to the shipment's first in_transit event."
    )
    first_transit_to_delivery: DurationStats = strawberry.field(
        description="From the first in_transit event to the first delivered event."
    )

    @classmethod
    def from_result(cls, row: analytics.CarrierPerformance) -> "CarrierPerformance":
        """Map the resolver's figures."""
        shipments = row.shipments
        return cls(
            carrier=row.carrier,
            shipment_count=shipments,
            failed_delivery_count=row.failed_delivery_shipments,
            failed_delivery_share=row.failed_delivery_shipments / shipments if shipments else 0.0,
            claim_count=row.claims,
            claim_rate=row.claims / shipments if shipments else 0.0,
            placed_to_first_transit=DurationStats.from_percentiles(row.to_first_transit),
            first_transit_to_delivery=DurationStats.from_percentiles(row.transit_to_delivery),
        )


@strawberry.type(description="Claims of one reason, relative to fulfilled shipments.")
class ClaimsByReason:
    """A reason's claim count and rate."""

    reason: ClaimReasonEnum = strawberry.field(description="Why the claims were opened.")  # type: ignore[valid-type]
    claim_count: int = strawberry.field(description="Claims with this reason.")
    claim_rate: float = strawberry.field(
        description="claimCount / fulfilled shipments of the period (0 when there are none)."
    )


@strawberry.type(
    name="Analytics",
    description="Figures over the orders placed in a period, and their shipments, events "
    "and claims. Every figure is computed in the database when selected.",
)
class AnalyticsType:
    """A report for one period."""

    placed_from: datetime | None = strawberry.field(description="Start of the period.")
    placed_to: datetime | None = strawberry.field(description="End of the period (excluded).")
    currency: str = strawberry.field(description="ISO 4217 currency of every revenue figure.")
    period: strawberry.Private[analytics.Period]

    @strawberry.field(description="Orders and revenue per order state.")
    async def orders_by_state(self, info: strawberry.Info) -> list[OrdersByState]:
        async with info.context.db.reader() as session:
            groups = await analytics.orders_by_state(session, self.period)
        return [
            OrdersByState(
                state=OrderStateEnum(g.key[0]), order_count=g.order_count, revenue=g.revenue
            )
            for g in groups
        ]

    @strawberry.field(
        description="Orders and revenue per attribution group, largest first. Orders "
        "without attribution form the group whose fields are all null."
    )
    async def orders_by_attribution(
        self,
        info: strawberry.Info,
        group_by: Annotated[
            list[AttributionDimension],
            strawberry.argument(description="Which attribution fields to group by."),
        ] = (
            AttributionDimension.SOURCE,
            AttributionDimension.MEDIUM,
            AttributionDimension.CAMPAIGN,
        ),  # type: ignore[assignment]
    ) -> list[OrdersByAttribution]:
        dimensions = [d.value for d in AttributionDimension if d in set(group_by)]
        async with info.context.db.reader() as session:
            groups = await analytics.orders_by_attribution(session, self.period, dimensions)
        result = []
        for group in groups:
            values = dict(zip(dimensions, group.key, strict=True))
            result.append(
                OrdersByAttribution(
                    source=values.get("source"),
                    medium=values.get("medium"),
                    campaign=values.get("campaign"),
                    order_count=group.order_count,
                    revenue=group.revenue,
                )
            )
        return result

    @strawberry.field(description="Shipments per current phase, largest first.")
    async def shipments_by_phase(self, info: strawberry.Info) -> list[ShipmentsByPhase]:
        async with info.context.db.reader() as session:
            groups = await analytics.shipments_by(session, self.period, "phase")
        return [ShipmentsByPhase(phase=PhaseEnum(g.key), shipment_count=g.count) for g in groups]

    @strawberry.field(description="Shipments per carrier, largest first.")
    async def shipments_by_carrier(self, info: strawberry.Info) -> list[ShipmentsByCarrier]:
        async with info.context.db.reader() as session:
            groups = await analytics.shipments_by(session, self.period, "carrier_reference")
        return [ShipmentsByCarrier(carrier=g.key, shipment_count=g.count) for g in groups]

    @strawberry.field(
        description="Per carrier: failed deliveries, claim rate and transit-time percentiles."
    )
    async def carriers(self, info: strawberry.Info) -> list[CarrierPerformance]:
        async with info.context.db.reader() as session:
            rows = await analytics.carrier_performance(session, self.period)
        return [CarrierPerformance.from_result(r) for r in rows]

    @strawberry.field(description="Claims per reason, and their rate per fulfilled shipment.")
    async def claims_by_reason(self, info: strawberry.Info) -> list[ClaimsByReason]:
        async with info.context.db.reader() as session:
            groups = await analytics.claims_by_reason(session, self.period)
            shipped = await analytics.fulfilled_shipment_count(session, self.period)
        return [
            ClaimsByReason(
                reason=ClaimReasonEnum(g.key),
                claim_count=g.count,
                claim_rate=g.count / shipped if shipped else 0.0,
            )
            for g in groups
        ]


@strawberry.type
class AnalyticsQuery:
    """Root field of the aggregation API."""

    @strawberry.field(
        description="Figures over the orders placed in [from, to) (either end may be "
        "omitted). Null for customer tokens.",
        permission_classes=[Allow.viewers_and_customers],
    )
    def analytics(
        self,
        info: strawberry.Info,
        from_: Annotated[
            datetime | None,
            strawberry.argument(name="from", description="Orders placed at or after this."),
        ] = None,
        to: Annotated[
            datetime | None, strawberry.argument(description="Orders placed before this.")
        ] = None,
    ) -> AnalyticsType | None:
        if is_customer(info):
            return None
        period = analytics.Period(shop_id=info.context.shop_id, placed_from=from_, placed_to=to)
        return AnalyticsType(
            placed_from=from_, placed_to=to, currency=info.context.shop.currency, period=period
        )
