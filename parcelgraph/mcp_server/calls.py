"""One tool call: who is calling, the services, and the GraphQL executor the app hands in.

The caller is the shop and API-key principal that authenticated the HTTP request (or the
stdio process). A call builds the same `Context` a GraphQL request gets, so use cases see
the same shop, clock, database and broker, and reads run with the same permissions, cost
limits and rate limits.
"""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graphql import GraphQLSchema

from parcelgraph.auth import ApiKeyPrincipal
from parcelgraph.config import Settings
from parcelgraph.context import Clock, Context
from parcelgraph.db import Database
from parcelgraph.domain.enums import Role
from parcelgraph.mcp_server.errors import ToolFailure, from_graphql
from parcelgraph.models import Shop
from parcelgraph.pubsub import Broker
from parcelgraph.ratelimit import RateLimiter, api_key_bucket, throttled_message

logger = logging.getLogger(__name__)

# (context, document, variables, operation name) -> {"data": ..., "errors": [...]}
Execute = Callable[[Context, str, dict[str, Any] | None, str | None], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class GraphQLBridge:
    """What the app lends this face from the GraphQL face, without an import between them."""

    execute: Execute
    cost: Callable[[str, dict[str, Any] | None], int]  # the requested cost of a document
    sdl: str
    schema: GraphQLSchema


@dataclass(frozen=True)
class Services:
    """The process's shared services (the app's state, or the stdio runner's)."""

    settings: Settings
    db: Database
    broker: Broker
    clock: Clock
    rate_limiter: RateLimiter | None


@dataclass(frozen=True)
class Caller:
    """An authenticated API key on one shop."""

    slug: str
    shop: Shop
    principal: ApiKeyPrincipal


@dataclass(frozen=True)
class Call:
    """Everything one tool call needs."""

    caller: Caller
    services: Services
    bridge: GraphQLBridge

    def now(self) -> datetime:
        return self.services.clock()

    def context(self, *, charged: bool = True) -> Context:
        """A GraphQL-equivalent context; `charged=False` leaves the rate limiter out (the
        call was charged up front)."""
        services: dict[str, Any] = {"slug": self.caller.slug}
        if charged and self.services.rate_limiter is not None:
            services["rate_limiter"] = self.services.rate_limiter
        return Context.for_caller(
            self.services,
            shop=self.caller.shop,
            principal=self.caller.principal,
            services=services,
        )

    def require(self, role: Role) -> None:
        """Refuse (FORBIDDEN, as GraphQL does) when the key's role is below `role`."""
        if not self.caller.principal.role.allows(role):
            raise ToolFailure.one("You are not allowed to do this.", "FORBIDDEN")

    async def charge(self, cost: int) -> None:
        """Spend `cost` points from the key's bucket, or refuse with THROTTLED."""
        limiter = self.services.rate_limiter
        if limiter is None:
            return
        status = await limiter.take(api_key_bucket(self.caller.principal.key_id), cost)
        if not status.allowed:
            raise ToolFailure.one(
                throttled_message(cost, status),
                "THROTTLED",
                cost=cost,
                retryAfterSeconds=status.retry_after_seconds,
            )

    async def query(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        *,
        operation_name: str | None = None,
        charged: bool = True,
    ) -> dict[str, Any]:
        """Run a read document as GraphQL would; top-level errors become a ToolFailure."""
        context = self.context(charged=charged)
        result = await self.bridge.execute(context, document, variables, operation_name)
        if result.get("errors"):
            raise from_graphql(result["errors"])
        return result.get("data") or {}
