"""Typed arguments of the read tools (their JSON Schema is each tool's input schema)."""

from typing import Any

from pydantic import AwareDatetime, Field

from parcelgraph.domain.enums import OrderState
from parcelgraph.mcp_server.args import ToolArgs


class FindOrdersArgs(ToolArgs):
    graphql_type = "OrderFilter"
    search: str | None = Field(
        default=None, description="An order number, order name or tracking number (exact)."
    )
    email: str | None = None
    states: list[OrderState] | None = None
    placed_from: AwareDatetime | None = None
    placed_to: AwareDatetime | None = None
    first: int = Field(default=10, ge=1, le=50, description="How many orders (1..50).")
    after: str | None = Field(default=None, description="Cursor from the previous page.")

    def variables(self) -> dict[str, Any]:
        filter_ = self.model_dump(
            mode="json", by_alias=True, exclude={"first", "after"}, exclude_none=True
        )
        return {"filter": filter_, "first": self.first, "after": self.after}


class GetOrderArgs(ToolArgs):
    order_number: str | None = Field(default=None, description="The shop's order number.")
    id: str | None = Field(default=None, description="The order's global id.")
    external_id: str | None = Field(default=None, description="The shop system's id.")


class ShipmentArgs(ToolArgs):
    id: str | None = Field(default=None, description="The shipment's global id.")
    tracking_number: str | None = Field(
        default=None, description="The shipment's tracking number (one shipment of this shop)."
    )


class ExplainCarrierArgs(ToolArgs):
    tracking_number: str = Field(description="The tracking number, spaces allowed.")
    tracking_company: str | None = Field(
        default=None, description="Free-text carrier name as the shop knows it."
    )
    country_code: str | None = Field(
        default=None, description="ISO 3166-1 alpha-2 destination country, e.g. DE."
    )


class DeliveriesArgs(ToolArgs):
    webhook_id: str = Field(description="The webhook's global id (see graphql_query webhooks).")
    first: int = Field(default=20, ge=1, le=50, description="How many deliveries (1..50).")
    after: str | None = Field(default=None, description="Cursor from the previous page.")


class AnalyticsArgs(ToolArgs):
    from_: AwareDatetime | None = Field(
        default=None, alias="from", description="Orders placed at or after this time."
    )
    to: AwareDatetime | None = Field(default=None, description="Orders placed before this time.")


class GraphQLArgs(ToolArgs):
    query: str = Field(description="One GraphQL query document (no mutations, no subscriptions).")
    variables: dict[str, Any] | None = Field(default=None, description="Its variables.")
    operation_name: str | None = Field(
        default=None, description="Which operation of the document to run, if it has several."
    )
