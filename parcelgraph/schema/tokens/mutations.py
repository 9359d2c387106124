"""Order-token mutations: `issueOrderToken` (a customer link for one order) and `revokeOrderToken`.

The token is returned once, by `issueOrderToken`; only its digest is stored.
"""

from datetime import datetime

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.context import Context
from parcelgraph.models import OrderToken
from parcelgraph.resolvers import tokens as order_tokens
from parcelgraph.schema.common.convert import from_attributes
from parcelgraph.schema.common.errors import UserError
from parcelgraph.schema.common.ids import require_id
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.runner import mutation, ok


@strawberry.type(
    name="OrderToken",
    description="A customer credential bound to one order (its secret is never shown again).",
)
class OrderTokenType:
    """When a token was issued, when it expires, whether it was revoked."""

    id: strawberry.ID = strawberry.field(
        description="The token's id (a UUID; tokens are not nodes): pass it to revokeOrderToken."
    )
    created_at: datetime = strawberry.field(description="When it was issued.")
    expires_at: datetime = strawberry.field(description="After this moment it is refused.")
    revoked_at: datetime | None = strawberry.field(
        description="When it was revoked; null while it has not been."
    )

    @classmethod
    def from_row(cls, row: OrderToken) -> "OrderTokenType":
        """Map a table row to the type."""
        return from_attributes(
            cls,
            row,
            id=strawberry.ID(str(row.id)),
        )


@strawberry.input(description="Which order to issue a customer token for, and for how long.")
class IssueOrderTokenInput:
    """Name the order by `orderId` or by `orderNumber`."""

    order_id: strawberry.ID | None = strawberry.field(
        default=None, description="Global id of the order."
    )
    order_number: str | None = strawberry.field(
        default=None, description="The shop's order number."
    )
    expires_in_days: int | None = strawberry.field(
        default=None,
        description="Lifetime in days, 1..365. Default: the server's order_token_default_days "
        "(90 unless configured).",
    )


@strawberry.type(description="The result of issueOrderToken.")
class IssueOrderTokenPayload:
    """The token, shown this once, and the link to send to the customer."""

    token: str | None = strawberry.field(
        description="The secret, shown only now (parcelgraph keeps a digest). Send it as "
        "`Authorization: Bearer <token>`, or as `token` in a WebSocket connection_init."
    )
    tracking_url: str | None = strawberry.field(
        description="The token-protected tracking page: "
        "{publicBaseUrl}/track/{slug}/{orderNumber}#token=… — for the customer's emails."
    )
    order_token: OrderTokenType | None = strawberry.field(
        description="The token's id and lifetime (for revoking it later)."
    )
    errors: list[UserError] = strawberry.field(
        description="Everything wrong with the input; empty on success."
    )


@strawberry.input(description="The token to revoke.")
class RevokeOrderTokenInput:
    """A token id as returned by issueOrderToken."""

    id: strawberry.ID = strawberry.field(
        description="The token's id as issueOrderToken returned it (the earlier global-id "
        "form is accepted too)."
    )


@strawberry.type(description="The result of revokeOrderToken.")
class RevokeOrderTokenPayload:
    """The revoked token."""

    order_token: OrderTokenType | None = strawberry.field(
        description="The token, with `revokedAt` set; null when refused."
    )
    errors: list[UserError] = strawberry.field(
        description="Everything wrong with the input; empty on success."
    )


def _issued(issued: "order_tokens.IssuedToken") -> IssueOrderTokenPayload:
    return ok(
        IssueOrderTokenPayload,
        token=issued.secret,
        tracking_url=issued.tracking_url,
        order_token=OrderTokenType.from_row(issued.token),
    )


@strawberry.type
class OrderTokenMutations:
    """Root mutations of order tokens (editor or admin keys)."""

    @mutation(
        Allow.editors, IssueOrderTokenPayload, done=_issued, input="The order and the lifetime."
    )
    async def issue_order_token(
        context: Context, session: AsyncSession, input: IssueOrderTokenInput
    ) -> order_tokens.IssuedToken:
        """Issue a customer token for one order and the tracking link that carries it. The
        token lets its holder read that order (products, shipments, events, its claims),
        subscribe to its events, change the delivery address before anything ships,
        cancel before anything ships, and file claims — nothing else."""
        settings = context.settings
        days = input.expires_in_days
        order_id = require_id(input.order_id, "Order", "orderId")
        return await order_tokens.issue(
            session,
            shop=context.shop,
            order_id=order_id,
            order_number=input.order_number,
            expires_in_days=days if days is not None else settings.order_token_default_days,
            default_base_url=settings.public_base_url,
            now=context.now(),
        )

    @mutation(
        Allow.editors,
        RevokeOrderTokenPayload,
        done=lambda row: ok(RevokeOrderTokenPayload, order_token=OrderTokenType.from_row(row)),
        input="The token to revoke.",
    )
    async def revoke_order_token(
        context: Context, session: AsyncSession, input: RevokeOrderTokenInput
    ) -> OrderToken:
        """Revoke an order token at once: every later request with it, over HTTP or
        WebSocket, is refused (open subscriptions end within seconds)."""
        token_id = require_id(input.id, "OrderToken", "id")
        assert token_id is not None
        return await order_tokens.revoke(
            session, shop=context.shop, token_id=token_id, now=context.now()
        )
