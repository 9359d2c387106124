"""Claim mutations: `createClaim` (merchant editors, or the order's customer) and `updateClaim`.

Thin fields: unpack the input, run the use case in one write transaction, map refusals to
`errors`. The claim reads (`claim`, `claims`, `Order.claims`, `Shipment.claims`) live with
the read graph.
"""

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.context import Context
from parcelgraph.models import Claim
from parcelgraph.resolvers import claims
from parcelgraph.resolvers.claims import ClaimPolicy
from parcelgraph.schema.claims.inputs import CreateClaimInput, UpdateClaimInput
from parcelgraph.schema.claims.types import ClaimType
from parcelgraph.schema.common.errors import UserError
from parcelgraph.schema.common.ids import require_id
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.runner import mutation, ok


@strawberry.type(description="The result of createClaim.")
class CreateClaimPayload:
    """The new claim, or why it was refused."""

    claim: ClaimType | None = strawberry.field(description="The claim; null when refused.")
    errors: list[UserError] = strawberry.field(
        description="Everything wrong with the input; empty on success."
    )


@strawberry.type(description="The result of updateClaim.")
class UpdateClaimPayload:
    """The changed claim, or why it was refused."""

    claim: ClaimType | None = strawberry.field(description="The claim; null when refused.")
    errors: list[UserError] = strawberry.field(
        description="Everything wrong with the input; empty on success."
    )


@strawberry.type
class ClaimMutations:
    """Root mutations of claims."""

    @mutation(
        Allow.editors_and_customers,
        CreateClaimPayload,
        done=lambda row: ok(CreateClaimPayload, claim=ClaimType.from_row(row)),
        input="The claim to file.",
    )
    async def create_claim(
        context: Context, session: AsyncSession, input: CreateClaimInput
    ) -> Claim:
        """File a claim about one shipment of an order. Merchants need an editor or admin
        key; a customer's order token may file claims on its own order only (any other
        order is ORDER_NOT_FOUND). The shipment's real state decides which reasons are
        possible (CLAIM_NOT_ELIGIBLE, with the reason why); one open claim per shipment
        and reason (DUPLICATE_CLAIM). Emits CLAIM_CREATED (claims/created, group
        claim_created) to webhooks and subscribers."""
        customer = context.customer
        return await claims.create(
            session,
            shop=context.shop,
            claim=input.to_claim(),
            policy=ClaimPolicy.from_settings(context.settings),
            now=context.now(),
            customer_order_id=customer.order_id if customer else None,
        )

    @mutation(
        Allow.editors,
        UpdateClaimPayload,
        done=lambda row: ok(UpdateClaimPayload, claim=ClaimType.from_row(row)),
        input="The claim and what changes.",
    )
    async def update_claim(
        context: Context, session: AsyncSession, input: UpdateClaimInput
    ) -> Claim:
        """Move a claim along its status machine and/or change the resolution preference
        (editor or admin keys). Emits CLAIM_UPDATED (claims/updated, group claim_updated)
        when something changed."""
        claim_id = require_id(input.id, "Claim", "id")
        assert claim_id is not None
        preference = input.resolution_preference
        return await claims.update(
            session,
            shop=context.shop,
            claim_id=claim_id,
            status=input.status.value if input.status else None,
            resolution_preference=preference.value if preference else None,
            now=context.now(),
        )
