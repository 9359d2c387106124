"""The phase machine (what can happen) as a table, and the lenient fold over out-of-order
scans."""

from datetime import UTC, datetime, timedelta

import pytest

from parcelgraph.domain import catalogue, phases, shipment_status
from parcelgraph.domain.enums import Phase
from parcelgraph.domain.phases import InvalidPhaseTransition, next_phase
from parcelgraph.domain.shipment_status import ScanEvent, fold

P = Phase

# (current phase, event, resulting phase or None when the append is refused). The rule:
# refuse only what cannot happen; forward moves may skip phases (carriers skip scans) and a
# late report of an earlier step is kept in its place without moving the parcel back.
TABLE: list[tuple[Phase | None, str, Phase | None]] = [
    # the ordinary steps
    (None, "ORDER_CREATED", P.ORDER_CREATED),
    (P.ORDER_CREATED, "ORDER_FULFILLED", P.ORDER_PROCESSED),
    (P.ORDER_PROCESSED, "DEPARTURE_FROM_TRANSPORT_HUB", P.IN_TRANSIT),
    (P.IN_TRANSIT, "DEPARTURE_FROM_TRANSPORT_HUB", P.IN_TRANSIT),
    (P.IN_TRANSIT, "OUT_FOR_DELIVERY", P.IN_DELIVERY),
    (P.IN_DELIVERY, "SUCCESSFULLY_DELIVERED", P.DELIVERED),
    (P.DELIVERY_FAILED, "OUT_FOR_DELIVERY", P.IN_DELIVERY),
    (P.COLLECT, "PICKED_UP_FROM_PARCEL_SHOP", P.DELIVERED),
    (P.IN_TRANSIT, "RETURNED_REFUSED", P.RETURNED),
    (P.DELIVERED, "RETURN_LABEL_CREATED", P.RETURN_CREATED),
    (P.RETURN_TRANSIT, "RETURN_RECEIVED", P.RETURN_RECEIVED),
    # forward moves that skip scans
    (P.IN_TRANSIT, "SUCCESSFULLY_DELIVERED", P.DELIVERED),
    (None, "DEPARTURE_FROM_TRANSPORT_HUB", P.IN_TRANSIT),
    (P.ORDER_PROCESSED, "SUCCESSFULLY_DELIVERED", P.DELIVERED),
    (P.DELIVERY_FAILED, "SUCCESSFULLY_DELIVERED", P.DELIVERED),
    (P.DELIVERED, "RETURN_IN_TRANSIT", P.RETURN_TRANSIT),
    (P.RETURN_FAILED, "RETURN_RECEIVED", None),  # an outcome is final
    # late reports of earlier steps: accepted, the phase stays
    (P.DELIVERED, "OUT_FOR_DELIVERY", P.DELIVERED),
    (P.DELIVERED, "DEPARTURE_FROM_TRANSPORT_HUB", P.DELIVERED),
    (P.IN_DELIVERY, "ORDER_FULFILLED", P.IN_DELIVERY),
    (P.RETURNED, "DEPARTURE_FROM_TRANSPORT_HUB", P.RETURNED),
    (P.RETURN_CREATED, "SUCCESSFULLY_DELIVERED", P.RETURN_CREATED),
    # what cannot happen
    (P.RETURNED, "SUCCESSFULLY_DELIVERED", None),  # forward past return-to-sender
    (P.DELIVERED, "SUCCESSFULLY_DELIVERED", None),  # delivered twice
    (P.RETURNED, "RETURNED_REFUSED", None),
    (P.RETURN_RECEIVED, "RETURN_RECEIVED", None),
    (P.IN_TRANSIT, "RETURN_LABEL_CREATED", None),  # nothing delivered to return
    (None, "RETURN_IN_TRANSIT", None),
    (P.IN_TRANSIT, "ORDER_CANCELLED", None),  # cancelled once a tracking number exists
    (P.DELIVERED, "CUSTOMS_DELAY", None),  # a condition outside its phases
    (None, "DAMAGED_IN_TRANSIT", None),
    # conditions keep the phase
    (P.IN_TRANSIT, "CUSTOMS_DELAY", P.IN_TRANSIT),
    (P.RETURN_TRANSIT, "RETURN_DELAYED", P.RETURN_TRANSIT),
    (P.RETURNED, "UNMAPPED", P.RETURNED),
]


def _id(current: Phase | None) -> str:
    return "new" if current is None else current.value


@pytest.mark.parametrize(
    ("current", "event", "expected"),
    TABLE,
    ids=[f"{_id(c)}+{e}" for c, e, _ in TABLE],
)
def test_phase_machine_table(current, event, expected):
    if expected is None:
        with pytest.raises(InvalidPhaseTransition) as refused:
            next_phase(current, event)
        assert refused.value.current == current
        assert refused.value.event == event
        assert phases.can_follow(current, event) is False
    else:
        assert next_phase(current, event) is expected
        assert phases.can_follow(current, event) is True


def test_documented_happy_paths_walk_through_the_machine():
    paths = [
        ["ORDER_CREATED", "ORDER_FULFILLED", "PICKED_UP_BY_CARRIER", "OUT_FOR_DELIVERY",
         "SUCCESSFULLY_DELIVERED"],
        ["ORDER_FULFILLED", "DEPARTURE_FROM_TRANSPORT_HUB", "DELIVERED_TO_PARCEL_LOCKER",
         "PICKED_UP_FROM_PARCEL_LOCKER"],
        ["ORDER_FULFILLED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "RECIPIENT_NOT_HOME",
         "OUT_FOR_DELIVERY_SECOND_ATTEMPT", "DELIVERED_TO_NEIGHBOUR", "RETURN_LABEL_CREATED",
         "RETURN_DROPPED_OFF", "RETURN_RECEIVED"],
    ]  # fmt: skip
    finals = []
    for path in paths:
        phase = None
        for event in path:
            phase = next_phase(phase, event)
        finals.append(phase)
    assert finals == [P.DELIVERED, P.DELIVERED, P.RETURN_RECEIVED]


def test_unknown_and_claim_events_are_refused():
    with pytest.raises(catalogue.UnknownEventName):
        next_phase(P.IN_TRANSIT, "TELEPORTED")
    with pytest.raises(InvalidPhaseTransition) as refused:
        next_phase(P.DELIVERED, "CLAIM_CREATED")
    assert refused.value.reason == "not a shipment event"


def test_allowed_events_lists_what_may_come_next():
    after_delivery = catalogue.names(phases.allowed_events(P.DELIVERED))
    assert {"OUT_FOR_DELIVERY", "RETURN_LABEL_CREATED", "UNMAPPED"} <= set(after_delivery)
    assert "SUCCESSFULLY_DELIVERED" not in after_delivery
    after_return = catalogue.names(phases.allowed_events(P.RETURNED))
    assert "DEPARTURE_FROM_TRANSPORT_HUB" in after_return  # a late report
    assert not {"SUCCESSFULLY_DELIVERED", "RETURN_LABEL_CREATED"} & set(after_return)


@pytest.mark.parametrize(
    ("event", "allowed"),
    [
        ("ORDER_CREATED", True),
        ("ORDER_IN_PROCESSING", True),
        ("ORDER_CANCELLED", True),
        ("ORDER_FULFILLED", False),
        ("OUT_FOR_DELIVERY", False),
    ],
)
def test_drafts_only_take_pre_transit_events(event, allowed):
    assert phases.allowed_on_draft(event) is allowed


@pytest.mark.parametrize(
    ("phase", "terminal"),
    [
        (None, False),
        (P.ORDER_CREATED, False),
        (P.ORDER_PROCESSED, False),
        (P.IN_TRANSIT, False),
        (P.IN_DELIVERY, False),
        (P.COLLECT, False),
        (P.DELIVERY_FAILED, False),
        (P.DELIVERED, True),
        (P.RETURNED, True),
        (P.RETURN_CREATED, False),
        (P.RETURN_TRANSIT, False),
        (P.RETURN_RECEIVED, True),
        (P.RETURN_FAILED, True),
    ],
)
def test_terminal_phases_stop_the_poller(phase, terminal):
    assert phases.is_terminal(phase) is terminal


# --- the fold ------------------------------------------------------------------------------

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def _scans(*pairs: tuple[str, float]) -> list[ScanEvent]:
    return [ScanEvent(event_name=name, occurred_at=_at(hours)) for name, hours in pairs]


def test_a_late_in_transit_scan_does_not_undo_delivery():
    status = fold(
        _scans(
            ("ORDER_FULFILLED", 0),
            ("DEPARTURE_FROM_TRANSPORT_HUB", 5),
            ("OUT_FOR_DELIVERY", 20),
            ("SUCCESSFULLY_DELIVERED", 24),
            ("ARRIVAL_AT_TRANSPORT_HUB", 30),  # scanned late, stamped after delivery
        )
    )
    assert status.phase is P.DELIVERED
    assert status.delivered_at == _at(24)
    assert status.phase_entered_at == _at(24)
    assert status.out_of_order == 1
    assert status.event_count == 5
    assert status.last_event_at == _at(30)
    assert status.last_event_name == "ARRIVAL_AT_TRANSPORT_HUB"


def test_events_arriving_in_any_order_fold_by_occurrence_time():
    arrived = _scans(
        ("SUCCESSFULLY_DELIVERED", 24),
        ("ORDER_FULFILLED", 0),
        ("OUT_FOR_DELIVERY", 20),
        ("DEPARTURE_FROM_TRANSPORT_HUB", 5),
    )
    status = fold(arrived)
    assert status == fold(sorted(arrived, key=lambda e: e.occurred_at))
    assert status.phase is P.DELIVERED
    assert status.out_of_order == 0


def test_carriers_may_skip_steps_in_the_fold():
    status = fold(_scans(("ORDER_FULFILLED", 0), ("SUCCESSFULLY_DELIVERED", 30)))
    assert status.phase is P.DELIVERED


def test_a_returned_scan_after_delivery_keeps_the_delivery():
    status = fold(_scans(("OUT_FOR_DELIVERY", 0), ("DELIVERED_TO_NEIGHBOUR", 1),
                         ("RETURNED_TO_SENDER", 2)))  # fmt: skip
    assert status.phase is P.DELIVERED
    assert status.returned_at is None
    assert status.out_of_order == 1


def test_second_attempt_and_parcel_shop_cycle_follow_the_latest_scan():
    status = fold(
        _scans(
            ("OUT_FOR_DELIVERY", 0),
            ("RECIPIENT_NOT_HOME", 1),
            ("OUT_FOR_DELIVERY_SECOND_ATTEMPT", 24),
            ("NOT_HOME_FORWARDED_TO_PARCEL_SHOP", 25),
            ("FORWARDED_TO_PARCEL_SHOP", 27),
        )
    )
    assert status.phase is P.COLLECT
    assert status.failed_attempts == 2
    assert status.phase_entered_at == _at(27)
    assert shipment_status.delivery_failed(status) is True
    assert shipment_status.was_delivered_or_picked_up(status) is False


def test_delay_is_set_by_a_delay_and_cleared_by_progress():
    delayed = fold(_scans(("IN_TRANSIT", 0), ("CUSTOMS_DELAY", 1), ("IN_CUSTOMS_CLEARANCE", 2)))
    assert delayed.phase is P.IN_TRANSIT
    assert delayed.delayed is True
    moved_on = fold(_scans(("IN_TRANSIT", 0), ("CUSTOMS_DELAY", 1), ("OUT_FOR_DELIVERY", 30)))
    assert moved_on.delayed is False
    late_delay = fold(_scans(("OUT_FOR_DELIVERY", 0), ("SUCCESSFULLY_DELIVERED", 1),
                             ("CARRIER_DELAY", 2)))  # fmt: skip
    assert late_delay.delayed is False


def test_damage_sticks_and_does_not_move_the_phase():
    status = fold(_scans(("IN_TRANSIT", 0), ("DAMAGED_IN_TRANSIT", 1), ("OUT_FOR_DELIVERY", 2),
                         ("SUCCESSFULLY_DELIVERED", 3)))  # fmt: skip
    assert status.damaged is True
    assert status.phase is P.DELIVERED


def test_unmapped_statuses_are_counted_and_never_move_the_phase():
    status = fold(_scans(("IN_TRANSIT", 0), ("UNMAPPED", 1), ("UNMAPPED", 2)))
    assert status.phase is P.IN_TRANSIT
    assert status.unmapped_count == 2
    assert status.phase_entered_at == _at(0)
    assert fold(_scans(("UNMAPPED", 0))).phase is None


def test_cancelled_draft_and_a_late_cancel():
    assert fold(_scans(("ORDER_CREATED", 0), ("ORDER_CANCELLED", 1))).cancelled is True
    shipped = fold(_scans(("ORDER_FULFILLED", 0), ("IN_TRANSIT", 1), ("ORDER_CANCELLED", 2)))
    assert shipped.cancelled is False
    assert shipped.phase is P.IN_TRANSIT


def test_picked_up_and_returns_count_as_received_for_claims():
    picked = fold(_scans(("DELIVERED_TO_PARCEL_LOCKER", 0), ("PICKED_UP_FROM_PARCEL_LOCKER", 5)))
    assert shipment_status.was_delivered_or_picked_up(picked) is True
    assert picked.delivered_at == _at(5)
    waiting = fold(_scans(("DELIVERED_TO_PARCEL_LOCKER", 0)))
    assert shipment_status.was_delivered_or_picked_up(waiting) is False
    returning = fold(_scans(("RETURN_LABEL_CREATED", 0)))
    assert shipment_status.was_delivered_or_picked_up(returning) is True


def test_a_return_reported_lost_that_arrives_counts_as_received():
    status = fold(_scans(("RETURN_IN_TRANSIT", 0), ("RETURN_FAILED", 1), ("RETURN_RECEIVED", 2),
                         ("RETURN_FAILED", 3)))  # fmt: skip
    assert status.phase is P.RETURN_RECEIVED
    assert status.out_of_order == 1


def test_ties_keep_the_recorded_order():
    status = fold(_scans(("OUT_FOR_DELIVERY", 0), ("RECIPIENT_NOT_HOME", 0)))
    assert status.phase is P.DELIVERY_FAILED


def test_claim_events_are_ignored_by_the_fold():
    status = fold(_scans(("IN_TRANSIT", 0), ("CLAIM_CREATED", 1)))
    assert status.event_count == 1
    assert status.last_event_name == "IN_TRANSIT"


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        fold([ScanEvent("IN_TRANSIT", datetime(2026, 1, 1, 8, 0))])


def test_an_empty_history_has_no_phase():
    assert fold([]) == shipment_status.ShipmentStatus()


@pytest.mark.parametrize(
    ("hours_since", "quiet"),
    [(71, False), (72, True), (100, True)],
)
def test_quiet_shipments_after_a_number_of_days(hours_since, quiet):
    last = _at(0)
    now = _at(hours_since)
    assert shipment_status.is_quiet(last, now=now, quiet_for=timedelta(days=3)) is quiet
    assert shipment_status.is_quiet(None, now=now, quiet_for=timedelta(days=3)) is False
