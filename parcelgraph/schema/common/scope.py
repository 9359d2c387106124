"""Who sees what through the root fields.

API keys of every role read the whole shop. A customer (order token) reaches only their own
order, through `order`, `shipment`, `node` and `nodes`; every list answers them with an
empty page and `analytics` with null — as if nothing else existed, the same answer an id of
another shop gets, so a token reveals nothing beyond its order. Anonymous callers are
refused with 401 by the permission classes before any of this runs.
"""

import uuid

import strawberry


def is_customer(info: strawberry.Info) -> bool:
    """True for an order-token caller."""
    return info.context.customer is not None


def only_order(info: strawberry.Info) -> uuid.UUID | None:
    """The one order a customer may read (None for API keys: no restriction)."""
    customer = info.context.customer
    return customer.order_id if customer else None
