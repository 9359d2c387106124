"""What a customer holding an order token may change: `updateMyOrderAddress` and `cancelMyOrder`.

Separate mutations, not `updateOrder`/`cancelOrder` opened to customers: a customer never
names an order (it is the token's), so there is nothing to scope or to probe, and the merchant
mutations keep their editor-only contract. Both run the merchant use cases
(`resolvers.orders.update` / `cancel`), so the rules are the same ones: the address is
validated as on `updateOrder` and can change only while no shipment has tracking; cancelling
works only while nothing has shipped. The address change records the same INTERNAL_TRIGGER
event as a merchant's (`shipments/in_transit/INTERNAL_TRIGGER`, group
`shipment_internal_trigger`, data `{"action": "order_updated", "fields": ["address"]}`), and a
cancel records ORDER_CANCELLED on each expected package, so the merchant's webhooks hear of
both.
"""

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.context import Context
from parcelgraph.domain.enums import OrderIdType
from parcelgraph.domain.errors import Issue, Rejected
from parcelgraph.resolvers import orders
from parcelgraph.schema.common.errors import UserError, user_errors
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.runner import mutation, ok
from parcelgraph.schema.orders.inputs import AddressInput
from parcelgraph.schema.orders.types import OrderType


@strawberry.input(description="The customer's new delivery address.")
class UpdateMyOrderAddressInput:
    """A full address: it replaces the one on the order."""

    address: AddressInput = strawberry.field(
        description="Validated as on updateOrder: zip code per country, ISO country and "
        "province codes."
    )


@strawberry.input(description="Why the customer cancels.")
class CancelMyOrderInput:
    """An optional reason, kept on the order."""

    reason: str | None = strawberry.field(default=None, description="In the customer's words.")


@strawberry.type(description="The result of a customer's change to their order.")
class MyOrderPayload:
    """The order as it is now, or why the change was refused."""

    order: OrderType | None = strawberry.field(description="The order; null when refused.")
    errors: list[UserError] = strawberry.field(
        description="Everything wrong with the input; empty on success."
    )


def _own_errors(rejected: Rejected) -> list[UserError]:
    # The use case points at the order's `id`, which a customer's input does not have.
    issues = [
        Issue(i.code, i.message, () if i.field[:1] == ("id",) else i.field) for i in rejected.issues
    ]
    return user_errors(Rejected(issues))


def _mine(result: orders.OrderResult) -> "MyOrderPayload":
    return ok(MyOrderPayload, order=OrderType.from_row(result.order))


def _ref(context: Context) -> orders.OrderRef:
    return orders.OrderRef(id=str(context.customer.order_id), id_type=OrderIdType.UUID.value)


@strawberry.type
class CustomerOrderMutations:
    """Root mutations for the holder of an order token (customers only)."""

    @mutation(
        Allow.customers_only,
        MyOrderPayload,
        done=_mine,
        errors=_own_errors,
        input="The new address.",
    )
    async def update_my_order_address(
        context: Context, session: AsyncSession, input: UpdateMyOrderAddressInput
    ) -> orders.OrderResult:
        """Change the delivery address of the token's order while no shipment has a tracking
        number (else ORDER_NOT_EDITABLE). The merchant's webhooks receive an
        INTERNAL_TRIGGER event with data.action = order_updated, data.fields = [address]."""
        return await orders.update(
            session,
            shop=context.shop,
            ref=_ref(context),
            address=input.address.to_domain(),
            now=context.now(),
            by_customer=True,
        )

    @mutation(
        Allow.customers_only,
        MyOrderPayload,
        done=_mine,
        errors=_own_errors,
        input="Optionally, why the customer cancels.",
    )
    async def cancel_my_order(
        context: Context, session: AsyncSession, input: CancelMyOrderInput | None = None
    ) -> orders.OrderResult:
        """Cancel the token's order while no shipment has a tracking number (else
        ORDER_NOT_CANCELLABLE). Records ORDER_CANCELLED on each expected package."""
        return await orders.cancel(
            session,
            shop=context.shop,
            ref=_ref(context),
            reason=input.reason if input else None,
            now=context.now(),
            by_customer=True,
        )
