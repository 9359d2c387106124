"""The derived order state as a table."""

import pytest

from parcelgraph.domain.enums import OrderState
from parcelgraph.domain.order_state import PackageFacts, derive, has_tracking

DRAFT = PackageFacts(None)
SHIPPED = PackageFacts("1Z999")
RETURN = PackageFacts("R1", "CUSTOMER_MERCHANT")


@pytest.mark.parametrize(
    ("expected", "shipments", "cancelled", "state"),
    [
        (1, [DRAFT], False, OrderState.PLACED),
        (2, [DRAFT, DRAFT], False, OrderState.PLACED),
        (2, [SHIPPED, DRAFT], False, OrderState.PARTIALLY_FULFILLED),
        (2, [SHIPPED, SHIPPED], False, OrderState.FULFILLED),
        (1, [SHIPPED], False, OrderState.FULFILLED),
        (1, [SHIPPED, SHIPPED], False, OrderState.FULFILLED),
        (2, [RETURN, DRAFT, DRAFT], False, OrderState.PLACED),
        (1, [DRAFT], True, OrderState.CANCELLED),
        (1, [], False, OrderState.PLACED),
    ],
)
def test_derive(expected, shipments, cancelled, state) -> None:
    assert (
        derive(expected_number_of_shipments=expected, shipments=shipments, cancelled=cancelled)
        is state
    )


def test_has_tracking_counts_both_directions() -> None:
    assert has_tracking([DRAFT]) is False
    assert has_tracking([DRAFT, RETURN]) is True
    assert has_tracking([SHIPPED]) is True
