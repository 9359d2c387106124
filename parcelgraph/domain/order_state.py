"""Order state derived from an order's shipments: one pure function.

Every write that touches an order's shipments (placement, attaching tracking, cancelling,
changing the expected number of packages) stores the result of `derive` in the same
transaction, so `orders.state` is never out of step with the shipments it summarizes.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from parcelgraph.domain.enums import Direction, OrderState


@dataclass(frozen=True, slots=True)
class PackageFacts:
    """What the state rule reads from one shipment."""

    tracking_number: str | None
    direction: str = Direction.MERCHANT_CUSTOMER.value


def fulfilled_count(shipments: Iterable[PackageFacts]) -> int:
    """Forward shipments with a tracking number (returns never fulfil an order)."""
    return sum(
        1
        for s in shipments
        if s.tracking_number is not None and s.direction == Direction.MERCHANT_CUSTOMER.value
    )


def derive(
    *, expected_number_of_shipments: int, shipments: Iterable[PackageFacts], cancelled: bool
) -> OrderState:
    """The order's state: CANCELLED wins; then by how many expected packages have tracking."""
    if cancelled:
        return OrderState.CANCELLED
    fulfilled = fulfilled_count(shipments)
    if fulfilled == 0:
        return OrderState.PLACED
    if fulfilled >= expected_number_of_shipments:
        return OrderState.FULFILLED
    return OrderState.PARTIALLY_FULFILLED


def has_tracking(shipments: Iterable[PackageFacts]) -> bool:
    """True once any shipment (either direction) has a tracking number: cancel is refused."""
    return any(s.tracking_number is not None for s in shipments)
