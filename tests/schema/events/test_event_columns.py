"""A shipment's events are read with only the columns the document selects, and give the
same values as events read whole (the order's event log reads every column)."""

from datetime import UTC, datetime, timedelta

import pytest
from graphql import OperationDefinitionNode, parse

from parcelgraph.resolvers.common import event_log
from parcelgraph.schema.events.event_columns import COLUMNS, collect
from parcelgraph.schema.root import schema
from tests.parcels import parcel, shop_row
from tests.support import count_statements

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SCALARS = [f for f in COLUMNS["Event"] if f not in {"order", "shipment", "__typename"}]


def _columns(document: str) -> tuple[str, ...]:
    parsed = parse(document)
    operation = next(d for d in parsed.definitions if isinstance(d, OperationDefinitionNode))
    fragments = [d for d in parsed.definitions if d is not operation]
    return collect(schema._schema, operation, fragments)


@pytest.mark.parametrize(
    ("document", "columns"),
    [
        (
            "{ orders(first: 5) { edges { node { shipments {"
            " events { eventName occurredAt location sequence } } } } } }",
            ("sequence", "event_name", "occurred_at", "location"),
        ),
        (
            "query { orders(first: 5) { edges { node { shipments { events { ...E } } } } }"
            ' node(id: "x") { ... on Event { message order { id } } } }'
            " fragment E on Event { id eventId shipment { id } }",
            ("id", "order_id", "shipment_id", "message"),
        ),
        (
            '{ trackOrder(orderNumber: "1", zipCode: "1") { shipments {'
            " events { description position __typename } } } }",
            ("position", "event_name"),
        ),
        ("{ orders(first: 5) { edges { node { shipments { id } } } } }", ()),
    ],
)
def test_the_columns_are_those_the_whole_operation_selects(document: str, columns) -> None:  # type: ignore[no-untyped-def]
    assert _columns(document) == columns


def test_every_field_of_the_event_types_has_its_columns() -> None:
    # A field missing here would make every document selecting it read all columns.
    for type_name, fields in COLUMNS.items():
        graphql_type = schema._schema.get_type(type_name)
        assert set(graphql_type.fields) | {"__typename"} == set(fields)  # type: ignore[union-attr]


async def _rich_events(db) -> None:  # type: ignore[no-untyped-def]
    shipment = await parcel(db, at=T0)
    shop = await shop_row(db)
    new = [
        event_log.NewEvent(
            order_id=shipment.order_id,
            shipment_id=shipment.id,
            source="shipments",
            ref="shipments/in_transit/DEPARTURE_FROM_TRANSPORT_HUB",
            event_name="DEPARTURE_FROM_TRANSPORT_HUB",
            event_group="shipment_in_transit",
            occurred_at=T0 + timedelta(hours=hour),
            phase="in_transit",
            direction="MERCHANT_CUSTOMER",
            external_id=f"scan-{hour}",
            location="Leipzig" if hour != 3 else None,
            message="Left the hub",
            raw_code="DEP",
            simulated=hour == 2,
            data={"hub": "LEJ", "n": hour},
        )
        for hour in (2, 1, 3)
    ]
    async with db.writer() as session:
        await event_log.append(session, shop=shop, events=new, now=T0 + timedelta(days=1))
        await session.commit()


NARROW = "{ orders(first: 5) { edges { node { shipments { events { eventId FIELD } } } } } }"
WHOLE = (
    "{ orders(first: 5) { edges { node {"
    " events(first: 50) { edges { node { eventId FIELD } } } } } } }"
)


async def test_each_field_reads_the_same_as_from_whole_rows(shop, db) -> None:  # type: ignore[no-untyped-def]
    await _rich_events(db)
    for field in [*SCALARS, "order { orderNumber }", "shipment { trackingNumber }"]:
        narrow = await shop.data(NARROW.replace("FIELD", field))
        whole = await shop.data(WHOLE.replace("FIELD", field))
        events = narrow["orders"]["edges"][0]["node"]["shipments"][0]["events"]
        edges = whole["orders"]["edges"][0]["node"]["events"]["edges"]
        assert len(events) == 3
        assert {e["eventId"]: e for e in events} == {e["node"]["eventId"]: e["node"] for e in edges}


async def test_the_statement_selects_only_the_selected_columns(shop, db) -> None:  # type: ignore[no-untyped-def]
    await _rich_events(db)
    document = (
        "{ orders(first: 5) { edges { node { shipments { events { eventName location } } } } } }"
    )
    with count_statements(db) as counter:
        data = await shop.data(document)
    events = data["orders"]["edges"][0]["node"]["shipments"][0]["events"]
    assert events == [
        {"eventName": "DEPARTURE_FROM_TRANSPORT_HUB", "location": "Leipzig"},
        {"eventName": "DEPARTURE_FROM_TRANSPORT_HUB", "location": "Leipzig"},
        {"eventName": "DEPARTURE_FROM_TRANSPORT_HUB", "location": None},
    ]
    selects = [s for s in counter.statements if "FROM events" in s]
    assert len(selects) == 1
    assert selects[0].split("FROM events")[0].split() == [
        "SELECT", "events.shipment_id,", "events.event_name,", "events.location",
    ]  # fmt: skip
