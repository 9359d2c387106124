"""The expected dhl status table."""

from parcelgraph.domain.enums import Phase as P

ROWS = [
    ("pre-transit", "LABEL_CREATED", P.ORDER_PROCESSED),
    ("transit", "IN_TRANSIT", P.IN_TRANSIT),
    ("delivered", "SUCCESSFULLY_DELIVERED", P.DELIVERED),
    ("failure", "DELIVERY_FAILED", P.DELIVERY_FAILED),
]
UNMAPPED = ["unknown"]
