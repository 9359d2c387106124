"""appendShipmentEvent: the machine, drafts, idempotent external ids, out-of-order scans."""

from datetime import UTC, datetime, timedelta

import pytest
from strawberry import relay

from parcelgraph.domain.enums import Role
from tests.parcels import parcel, reload

MUTATION = """
mutation($input: AppendShipmentEventInput!) {
  appendShipmentEvent(input: $input) {
    recorded
    event { eventId eventName ref phase eventGroup sequence occurredAt externalId location message }
    shipment { phase delayed damaged failedAttempts lastEventAt deliveredAt
               estimatedArrival { earliest latest source } }
    errors { field code message }
  }
}
"""

EVENTS = """
query($id: ID!) { node(id: $id) { ... on Shipment { phase events { eventName occurredAt } } } }
"""

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
NUMBER = "00340434161094042557"


def at(hours: float) -> str:
    return (T0 + timedelta(hours=hours)).isoformat()


async def append(caller, **fields):
    data = await caller.data(MUTATION, {"input": fields})
    return data["appendShipmentEvent"]


def codes(payload) -> list[tuple[list[str] | None, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


def gid(shipment) -> str:
    return str(relay.GlobalID("Shipment", str(shipment.id)))


async def test_an_event_that_fits_is_recorded_and_moves_the_phase(editor, db):
    # given a fulfilled parcel, waiting for the carrier
    await parcel(db, at=T0)
    # when the warehouse reports the pick-up by tracking number
    result = await append(
        editor,
        trackingNumber=NUMBER,
        eventName="PICKED_UP_BY_CARRIER",
        occurredAt=at(1),
        externalId="wh-1",
        location="Leipzig, DE",
        message="Handed to the driver",
    )
    # then the event is stored with its ref, group and sequence, and the parcel is in transit
    assert result["errors"] == []
    assert result["recorded"] is True
    event = result["event"]
    assert {k: v for k, v in event.items() if k != "eventId"} == {
        "eventName": "PICKED_UP_BY_CARRIER",
        "ref": "shipments/in_transit/PICKED_UP_BY_CARRIER",
        "phase": "IN_TRANSIT",
        "eventGroup": "shipment_in_transit",
        "sequence": 1,
        "occurredAt": "2026-11-23T13:00:00+00:00",
        "externalId": "wh-1",
        "location": "Leipzig, DE",
        "message": "Handed to the driver",
    }
    assert result["shipment"] == {
        "phase": "IN_TRANSIT",
        "delayed": False,
        "damaged": False,
        "failedAttempts": 0,
        "lastEventAt": "2026-11-23T13:00:00+00:00",
        "deliveredAt": None,
        # no carrier estimate and no history: the default window, 2 to 5 days after shipping
        "estimatedArrival": {
            "earliest": "2026-11-25T12:00:00+00:00",
            "latest": "2026-11-28T12:00:00+00:00",
            "source": "DEFAULT",
        },
    }


async def test_the_shipment_can_be_named_by_its_id(editor, db):
    shipment = await parcel(db, at=T0)
    result = await append(editor, shipmentId=gid(shipment), eventName="LABEL_CREATED")
    assert result["errors"] == []
    assert result["event"]["occurredAt"] == "2026-11-23T12:00:00+00:00"  # default: now
    assert result["shipment"]["phase"] == "ORDER_PROCESSED"


async def test_the_same_external_id_twice_records_one_event(editor, db):
    # given an event recorded under an external id
    shipment = await parcel(db, at=T0)
    first = await append(
        editor, trackingNumber=NUMBER, eventName="PICKED_UP_BY_CARRIER", externalId="scan-7"
    )
    # when the same call is retried (the phase has moved on meanwhile)
    second = await append(
        editor, trackingNumber=NUMBER, eventName="PICKED_UP_BY_CARRIER", externalId="scan-7"
    )
    # then the retry returns the first event, without error, and nothing new is stored
    assert second["errors"] == []
    assert second["recorded"] is False
    assert second["event"] == first["event"]
    node = (await editor.data(EVENTS, {"id": gid(shipment)}))["node"]
    assert [e["eventName"] for e in node["events"]] == ["PICKED_UP_BY_CARRIER"]


async def test_an_external_id_reused_for_another_event_is_refused(editor, db):
    await parcel(db, at=T0)
    await append(editor, trackingNumber=NUMBER, eventName="PICKED_UP_BY_CARRIER", externalId="x")
    result = await append(
        editor, trackingNumber=NUMBER, eventName="OUT_FOR_DELIVERY", externalId="x"
    )
    assert codes(result) == [(["input", "externalId"], "IDEMPOTENCY_KEY_REUSED")]
    assert result["event"] is None and result["recorded"] is False


@pytest.mark.parametrize("name", ["TELEPORTED", "CLAIM_CREATED", "out_for_delivery"])
async def test_a_name_outside_the_shipment_catalogue_is_refused(editor, db, name):
    await parcel(db, at=T0)
    result = await append(editor, trackingNumber=NUMBER, eventName=name)
    assert codes(result) == [(["input", "eventName"], "UNKNOWN_EVENT_NAME")]


async def test_a_draft_takes_only_pre_transit_events(editor, db):
    # given an expected package without tracking
    draft = await parcel(db, at=T0, tracking_number=None)
    # when a carrier event is appended to it, it is refused; a pre-transit one is recorded
    refused = await append(editor, shipmentId=gid(draft), eventName="PICKED_UP_BY_CARRIER")
    accepted = await append(editor, shipmentId=gid(draft), eventName="ORDER_IN_PROCESSING")
    assert codes(refused) == [(["input", "eventName"], "SHIPMENT_IS_DRAFT")]
    assert accepted["errors"] == []
    assert accepted["shipment"]["phase"] == "ORDER_CREATED"
    assert accepted["shipment"]["estimatedArrival"] is None  # no tracking, no estimate


@pytest.mark.parametrize(
    ("phase", "event_name"),
    [
        ("returned", "SUCCESSFULLY_DELIVERED"),  # forward past a return to sender
        ("delivered", "SUCCESSFULLY_DELIVERED"),  # a parcel is delivered once
        ("in_transit", "ORDER_CANCELLED"),  # cancelling is refused once it shipped
        ("order_processed", "RETURN_RECEIVED"),  # nothing was delivered to return
    ],
)
async def test_an_event_that_does_not_fit_the_machine_is_refused(editor, db, phase, event_name):
    shipment = await parcel(db, at=T0, phase=phase)
    result = await append(editor, trackingNumber=NUMBER, eventName=event_name)
    assert codes(result) == [(["input", "eventName"], "INVALID_PHASE_TRANSITION")]
    assert (await reload(db, shipment.id)).phase == phase


async def test_a_skipped_out_for_delivery_scan_is_accepted(editor, db):
    # given a parcel that left a hub (carriers often skip the out-for-delivery scan)
    shipment = await parcel(db, at=T0)
    hub = await append(
        editor, trackingNumber=NUMBER, eventName="DEPARTURE_FROM_TRANSPORT_HUB", occurredAt=at(1)
    )
    # when the delivery comes next
    done = await append(
        editor, trackingNumber=NUMBER, eventName="SUCCESSFULLY_DELIVERED", occurredAt=at(5)
    )
    # then it is recorded and the parcel is delivered
    assert hub["errors"] == done["errors"] == []
    assert done["shipment"]["phase"] == "DELIVERED"
    assert (await reload(db, shipment.id)).phase == "delivered"


async def test_a_late_report_after_delivery_is_recorded_without_moving_back(editor, db):
    # given a delivered parcel
    shipment = await parcel(db, at=T0)
    await append(editor, trackingNumber=NUMBER, eventName="PICKED_UP_BY_CARRIER", occurredAt=at(1))
    await append(
        editor, trackingNumber=NUMBER, eventName="SUCCESSFULLY_DELIVERED", occurredAt=at(5)
    )
    # when the out-for-delivery scan from before the delivery arrives late
    late = await append(
        editor, trackingNumber=NUMBER, eventName="OUT_FOR_DELIVERY", occurredAt=at(4)
    )
    # then it is kept, placed by its time, and the parcel stays delivered
    assert late["errors"] == []
    assert late["shipment"]["phase"] == "DELIVERED"
    assert late["shipment"]["lastEventAt"] == "2026-11-23T17:00:00+00:00"
    assert (await reload(db, shipment.id)).phase == "delivered"


async def test_out_of_order_scans_are_placed_by_occurrence_and_never_move_back(editor, db):
    # given a parcel out for delivery at 16:00
    shipment = await parcel(db, at=T0)
    await append(editor, trackingNumber=NUMBER, eventName="PICKED_UP_BY_CARRIER", occurredAt=at(1))
    ofd = await append(
        editor, trackingNumber=NUMBER, eventName="OUT_FOR_DELIVERY", occurredAt=at(4)
    )
    assert ofd["shipment"]["phase"] == "IN_DELIVERY"
    # when a "not at home" scan from 15:00 arrives late: it fits the machine (in_delivery ->
    # delivery_failed) but happened before the parcel went out again
    late = await append(
        editor, trackingNumber=NUMBER, eventName="RECIPIENT_NOT_HOME", occurredAt=at(3)
    )
    # then the attempt counts, but the phase stays where the newest scan put it
    assert late["errors"] == []
    assert late["shipment"]["phase"] == "IN_DELIVERY"
    assert late["shipment"]["failedAttempts"] == 1
    assert late["shipment"]["lastEventAt"] == "2026-11-23T16:00:00+00:00"
    # when the delivery is reported with a time before the out-for-delivery scan
    done = await append(
        editor, trackingNumber=NUMBER, eventName="SUCCESSFULLY_DELIVERED", occurredAt=at(3.5)
    )
    # then the parcel is delivered at that time, and the later scan does not undo it
    assert done["shipment"]["phase"] == "DELIVERED"
    assert done["shipment"]["deliveredAt"] == "2026-11-23T15:30:00+00:00"
    node = (await editor.data(EVENTS, {"id": gid(shipment)}))["node"]
    assert [e["eventName"] for e in node["events"]] == [
        "PICKED_UP_BY_CARRIER",
        "RECIPIENT_NOT_HOME",
        "SUCCESSFULLY_DELIVERED",
        "OUT_FOR_DELIVERY",
    ]
    assert node["phase"] == "DELIVERED"
    assert [done["event"]["sequence"]] == [4]


async def test_a_delay_is_flagged_until_the_parcel_moves_on(editor, db, clock):
    await parcel(db, at=T0)
    await append(editor, trackingNumber=NUMBER, eventName="PICKED_UP_BY_CARRIER", occurredAt=at(1))
    delayed = await append(
        editor, trackingNumber=NUMBER, eventName="WEATHER_DELAY", occurredAt=at(2)
    )
    clock.advance(hours=31)
    moved = await append(
        editor, trackingNumber=NUMBER, eventName="OUT_FOR_DELIVERY", occurredAt=at(30)
    )
    assert delayed["shipment"]["phase"] == "IN_TRANSIT"
    assert delayed["shipment"]["delayed"] is True
    # a delay widens the default window by its spread (3 days)
    assert delayed["shipment"]["estimatedArrival"] == {
        "earliest": "2026-11-25T12:00:00+00:00",
        "latest": "2026-12-01T12:00:00+00:00",
        "source": "DEFAULT",
    }
    assert moved["shipment"]["delayed"] is False
    # out for delivery: today, within twelve hours of going out
    assert moved["shipment"]["estimatedArrival"] == {
        "earliest": "2026-11-24T18:00:00+00:00",
        "latest": "2026-11-25T06:00:00+00:00",
        "source": "DEFAULT",
    }


async def test_unknown_or_foreign_shipments_are_not_found(editor, make_shop, db):
    await make_shop("other", role=Role.ADMIN)
    foreign = await parcel(db, at=T0, slug="other", tracking_number="1Z999AA10123456784")
    by_number = await append(editor, trackingNumber="NOPE123", eventName="IN_TRANSIT")
    by_id = await append(editor, shipmentId=gid(foreign), eventName="PICKED_UP_BY_CARRIER")
    assert codes(by_number) == [(["input", "trackingNumber"], "SHIPMENT_NOT_FOUND")]
    assert codes(by_id) == [(["input", "shipmentId"], "SHIPMENT_NOT_FOUND")]
    assert (await reload(db, foreign.id)).phase == "order_processed"


async def test_malformed_input_is_reported_all_at_once(editor, db):
    shipment = await parcel(db, at=T0)
    order_gid = str(relay.GlobalID("Order", "2a9c1f1e-0000-4000-8000-000000000000"))
    wrong_type = await append(editor, shipmentId=order_gid, eventName="IN_TRANSIT")
    neither = await append(
        editor,
        eventName="TELEPORTED",
        externalId="x" * 201,
        occurredAt=(T0 + timedelta(days=2)).isoformat(),
    )
    both = await append(
        editor, shipmentId=gid(shipment), trackingNumber=NUMBER, eventName="IN_TRANSIT"
    )
    assert codes(wrong_type) == [(["input", "shipmentId"], "INVALID_ID")]
    assert codes(neither) == [
        (["input"], "INVALID_INPUT"),
        (["input", "eventName"], "UNKNOWN_EVENT_NAME"),
        (["input", "occurredAt"], "VALUE_OUT_OF_RANGE"),
        (["input", "externalId"], "VALUE_TOO_LONG"),
    ]
    assert codes(both) == [(["input"], "INVALID_INPUT")]


async def test_a_tracking_number_on_two_orders_must_be_named_by_id(editor, db):
    await parcel(db, at=T0)
    await parcel(db, at=T0)
    result = await append(editor, trackingNumber=NUMBER, eventName="IN_TRANSIT")
    assert codes(result) == [(["input", "trackingNumber"], "INVALID_INPUT")]


async def test_viewers_may_not_append(viewer, db):
    await parcel(db, at=T0)
    body = await viewer.execute(
        MUTATION, {"input": {"trackingNumber": NUMBER, "eventName": "IN_TRANSIT"}}
    )
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
