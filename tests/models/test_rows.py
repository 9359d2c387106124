"""`as_stored` builds the same instance as the constructor, without the constructor's cost."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect

from parcelgraph.models import Event
from parcelgraph.models.rows import as_stored

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _values() -> dict[str, object]:
    return {
        "position": 7,
        "id": uuid.UUID(int=1),
        "shop_id": uuid.UUID(int=2),
        "order_id": uuid.UUID(int=3),
        "shipment_id": uuid.UUID(int=4),
        "claim_id": None,
        "sequence": 3,
        "source": "shipments",
        "ref": "shipments/in_transit/IN_TRANSIT",
        "phase": "in_transit",
        "event_name": "IN_TRANSIT",
        "event_group": "shipment_in_transit",
        "direction": "MERCHANT_CUSTOMER",
        "occurred_at": NOW,
        "recorded_at": NOW,
        "external_id": "scan-1",
        "location": "Berlin",
        "message": None,
        "raw_code": "IT",
        "simulated": False,
        "data": {"k": [1, 2]},
    }


def test_the_instance_holds_exactly_the_values_the_constructor_would() -> None:
    built = as_stored(Event, _values())
    assert built.model_dump() == Event(**_values()).model_dump() == _values()
    assert (built.position, built.id, built.data) == (7, uuid.UUID(int=1), {"k": [1, 2]})


def test_the_instance_is_a_transient_orm_object_without_pending_changes() -> None:
    state = inspect(as_stored(Event, _values()))
    assert state.transient
    assert not state.modified


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda v: v.pop("data"), "Event values: missing ['data'], unknown []"),
        (lambda v: v.update(colour="red"), "Event values: missing [], unknown ['colour']"),
    ],
)
def test_missing_or_unknown_names_are_refused(change, message) -> None:  # type: ignore[no-untyped-def]
    values = _values()
    change(values)
    with pytest.raises(ValueError) as raised:
        as_stored(Event, values)
    assert str(raised.value) == message
