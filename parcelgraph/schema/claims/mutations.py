"""Claim mutations: `createClaim` (merchant editors, or the order's customer) and `updateClaim`.

Thin fields: unpack the input, run the use case in one write transaction, map refusals to
`errors`. The claim reads (`claim`, `claims`, `Order.claims`, `Shipment.claims`) live with
the read graph.
"""

from typing import Annotated

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Claim
from parcelgraph.resolvers import claims
from parcelgraph.resolvers.claims import ClaimPolicy
from parcelgraph.schema.claims.inputs import CreateClaimInput, UpdateClaimInput, require_id
from parcelgraph.schema.claims.types import ClaimType
from parcelgraph.schema.common.errors import UserError
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.runner import ok, run_mutation


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


def policy(info: strawberry.Info) -> ClaimPolicy:
    """The claim limits from the server's settings."""
    settings = info.context.settings
    return ClaimPolicy(
        not_received_after_days=settings.not_received_after_days,
        description_max_length=settings.claim_description_max_length,
    )


@strawberry.type
class ClaimMutations:
    """Root mutations of claims."""

    @strawberry.mutation(
        description="File a claim about one shipment of an order. Merchants need an editor "
        "or admin key; a customer's order token may file claims on its own order only "
        "(any other order is ORDER_NOT_FOUND). The shipment's real state decides which "
        "reasons are possible (CLAIM_NOT_ELIGIBLE, with the reason why); one open claim per "
        "shipment and reason (DUPLICATE_CLAIM). Emits CLAIM_CREATED (claims/created, group "
        "claim_created) to webhooks and subscribers.",
        permission_classes=[Allow.editors_and_customers],
    )
    async def create_claim(
        self,
        info: strawberry.Info,
        input: Annotated[CreateClaimInput, strawberry.argument(description="The claim to file.")],
    ) -> CreateClaimPayload:
        context = info.context
        customer = context.customer

        async def create(session: AsyncSession) -> Claim:
            claim_input = input.to_claim()
            return await claims.create(
                session,
                shop=context.shop,
                claim=claim_input,
                policy=policy(info),
                now=context.now(),
                customer_order_id=customer.order_id if customer else None,
            )

        return await run_mutation(
            info,
            create,
            done=lambda row: ok(CreateClaimPayload, claim=ClaimType.from_row(row)),
            payload=CreateClaimPayload,
        )

    @strawberry.mutation(
        description="Move a claim along its status machine and/or change the resolution "
        "preference (editor or admin keys). Emits CLAIM_UPDATED (claims/updated, group "
        "claim_updated) when something changed.",
        permission_classes=[Allow.editors],
    )
    async def update_claim(
        self,
        info: strawberry.Info,
        input: Annotated[
            UpdateClaimInput, strawberry.argument(description="The claim and what changes.")
        ],
    ) -> UpdateClaimPayload:
        context = info.context
        preference = input.resolution_preference

        async def update(session: AsyncSession) -> Claim:
            claim_id = require_id(input.id, "Claim", "id")
            assert claim_id is not None
            return await claims.update(
                session,
                shop=context.shop,
                claim_id=claim_id,
                status=input.status.value if input.status else None,
                resolution_preference=preference.value if preference else None,
                now=context.now(),
            )

        return await run_mutation(
            info,
            update,
            done=lambda row: ok(UpdateClaimPayload, claim=ClaimType.from_row(row)),
            payload=UpdateClaimPayload,
        )
