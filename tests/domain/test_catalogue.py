"""The event catalogue is complete and consistent."""

import re
from collections import Counter

import pytest

from parcelgraph.domain import catalogue
from parcelgraph.domain.enums import Direction, EventSource, Phase
from parcelgraph.domain.event_groups import (
    CLAIM_GROUPS,
    DELIVERED_VARIANT_GROUPS,
    DOCUMENTED_SHIPMENT_GROUPS,
    RETURN_GROUPS,
    EventGroup,
    group_matches,
    is_delivered_group,
)

SHIPMENT_EVENTS = catalogue.events(source=EventSource.SHIPMENTS)
ALL = catalogue.all_definitions()
SHIPMENT_REF = re.compile(r"^shipments/(?P<phase>[a-z_]+)/(?P<name>[A-Z][A-Z_]*[A-Z])$")


def test_there_are_at_least_sixty_shipment_events_and_both_claim_events():
    assert len(SHIPMENT_EVENTS) >= 60
    assert catalogue.names(catalogue.events(source=EventSource.CLAIMS)) == [
        "CLAIM_CREATED",
        "CLAIM_UPDATED",
    ]


def test_every_name_is_defined_once():
    duplicates = [name for name, count in Counter(catalogue.names(ALL)).items() if count > 1]
    assert duplicates == []


def test_documented_shipment_groups_are_the_twenty_three_of_the_contract():
    assert len(DOCUMENTED_SHIPMENT_GROUPS) == 23
    assert len(set(DOCUMENTED_SHIPMENT_GROUPS)) == 23


@pytest.mark.parametrize(
    "group",
    [g for g in DOCUMENTED_SHIPMENT_GROUPS if g is not EventGroup.SHIPMENT_DELIVERED_ALL_EVENTS],
)
def test_every_documented_shipment_group_has_an_event(group):
    assert catalogue.events(group=group), f"no event in {group}"
    assert any(d.group is group for d in SHIPMENT_EVENTS)


def test_the_delivered_catch_all_is_covered_by_every_delivered_variant():
    # No event carries the catch-all itself; it selects the events of five variant groups.
    assert not any(d.group is EventGroup.SHIPMENT_DELIVERED_ALL_EVENTS for d in ALL)
    covered = {d.group for d in SHIPMENT_EVENTS if is_delivered_group(d.group)}
    assert covered == set(DELIVERED_VARIANT_GROUPS)


@pytest.mark.parametrize("group", RETURN_GROUPS)
def test_every_return_group_is_reached_by_some_event(group):
    assert any(d.return_group is group for d in SHIPMENT_EVENTS)
    assert any(d.group is group for d in SHIPMENT_EVENTS)


@pytest.mark.parametrize("definition", SHIPMENT_EVENTS, ids=lambda d: d.name)
def test_each_shipment_event_has_one_phase_a_wellformed_ref_and_a_description(definition):
    match = SHIPMENT_REF.match(definition.ref)
    assert match is not None, definition.ref
    assert Phase(match["phase"]) is definition.phase
    assert match["name"] == definition.name
    assert catalogue.shipment_ref(definition) == definition.ref
    assert definition.description.endswith(".")
    assert "\n" not in definition.description
    assert len(definition.description) <= 100


@pytest.mark.parametrize("definition", SHIPMENT_EVENTS, ids=lambda d: d.name)
def test_each_shipment_event_lands_in_a_return_group_for_returns(definition):
    neutral = {EventGroup.SHIPMENT_INTERNAL_TRIGGER, EventGroup.SHIPMENT_UNMAPPED}
    expected = {definition.group} if definition.group in neutral else set(RETURN_GROUPS)
    assert catalogue.group_for(definition, Direction.CUSTOMER_MERCHANT) in expected
    assert catalogue.group_for(definition, Direction.MERCHANT_CUSTOMER) is definition.group


@pytest.mark.parametrize(
    ("name", "phase", "group"),
    [
        ("ORDER_CREATED", Phase.ORDER_CREATED, EventGroup.SHIPMENT_PRE_TRANSIT),
        ("ORDER_IN_PROCESSING", Phase.ORDER_CREATED, EventGroup.SHIPMENT_PRE_TRANSIT),
        ("ORDER_CANCELLED", Phase.ORDER_CREATED, EventGroup.SHIPMENT_ORDER_CANCELLED),
        ("DEPARTURE_FROM_TRANSPORT_HUB", Phase.IN_TRANSIT, EventGroup.SHIPMENT_IN_TRANSIT),
        ("OUT_FOR_DELIVERY", Phase.IN_DELIVERY, EventGroup.SHIPMENT_OUT_FOR_DELIVERY),
        ("DELIVERY_ATTEMPTED", Phase.IN_DELIVERY, EventGroup.SHIPMENT_DELIVERY_FAILED),
        ("SUCCESSFULLY_DELIVERED", Phase.DELIVERED, EventGroup.SHIPMENT_DELIVERED),
    ],
)
def test_documented_names_have_their_documented_phase(name, phase, group):
    definition = catalogue.get(name)
    assert definition.phase is phase
    assert definition.group is group
    assert definition.source is EventSource.SHIPMENTS


def test_documented_refs_read_as_in_the_contract():
    assert catalogue.get("SUCCESSFULLY_DELIVERED").ref == (
        "shipments/delivered/SUCCESSFULLY_DELIVERED"
    )
    assert catalogue.get("DEPARTURE_FROM_TRANSPORT_HUB").ref == (
        "shipments/in_transit/DEPARTURE_FROM_TRANSPORT_HUB"
    )


@pytest.mark.parametrize(
    ("name", "ref", "group"),
    [
        ("CLAIM_CREATED", "claims/created", EventGroup.CLAIM_CREATED),
        ("CLAIM_UPDATED", "claims/updated", EventGroup.CLAIM_UPDATED),
    ],
)
def test_claim_events_have_no_phase_and_ignore_direction(name, ref, group):
    definition = catalogue.get(name)
    assert definition.phase is None
    assert definition.ref == ref
    assert catalogue.group_for(definition, None) is group
    assert catalogue.group_for(definition, Direction.CUSTOMER_MERCHANT) is group
    assert group in CLAIM_GROUPS
    with pytest.raises(ValueError):
        catalogue.shipment_ref(definition)


def test_only_the_three_documented_events_are_allowed_on_drafts():
    drafts = sorted(d.name for d in ALL if d.pre_transit)
    assert drafts == ["ORDER_CANCELLED", "ORDER_CREATED", "ORDER_IN_PROCESSING"]


def test_delay_and_damage_events_keep_the_phase():
    for definition in SHIPMENT_EVENTS:
        if definition.delayed or definition.damaged:
            assert definition.keeps_phase, definition.name
    assert catalogue.get("CUSTOMS_DELAY").delayed
    assert catalogue.get("DAMAGED_IN_TRANSIT").damaged
    assert catalogue.get("RECIPIENT_NOT_HOME").failed_attempt


def test_unmapped_is_kept_for_review_and_never_moves_the_phase():
    unmapped = catalogue.get(catalogue.UNMAPPED)
    assert unmapped.keeps_phase
    assert unmapped.group is EventGroup.SHIPMENT_UNMAPPED
    assert catalogue.group_for(unmapped, Direction.CUSTOMER_MERCHANT) is (
        EventGroup.SHIPMENT_UNMAPPED
    )


@pytest.mark.parametrize(
    "name",
    [
        "IN_CUSTOMS_CLEARANCE",
        "ARRIVAL_AT_TRANSPORT_HUB",
        "ADDRESS_INCORRECT",
        "DELIVERED_TO_NEIGHBOUR",
        "DELIVERED_TO_LETTERBOX",
        "DELIVERED_TO_PARCEL_SHOP",
        "DELIVERED_TO_PARCEL_LOCKER",
        "PICKUP_REMINDER",
        "DELIVERY_REFUSED",
        "RETURN_LABEL_CREATED",
        "CARRIER_CHANGED",
        "INTERNAL_TRIGGER",
    ],
)
def test_realistic_carrier_situations_are_in_the_catalogue(name):
    assert catalogue.exists(name)


def test_an_unknown_name_raises_with_the_name():
    with pytest.raises(catalogue.UnknownEventName) as raised:
        catalogue.get("TELEPORTED")
    assert raised.value.name == "TELEPORTED"
    assert catalogue.exists("TELEPORTED") is False


def test_filters_by_phase_and_group():
    delivered = catalogue.events(phase=Phase.DELIVERED)
    assert delivered and all(d.phase is Phase.DELIVERED for d in delivered)
    neighbour = catalogue.events(group=EventGroup.SHIPMENT_DELIVERED_TO_NEIGHBOUR)
    assert catalogue.names(neighbour) == ["DELIVERED_TO_NEIGHBOUR"]
    both = catalogue.events(phase=Phase.COLLECT, group=EventGroup.SHIPMENT_DELIVERED_TO_PARCEL_SHOP)
    assert catalogue.names(both) == [
        "DELIVERED_TO_PARCEL_SHOP",
        "PICKUP_REMINDER",
        "PICKUP_DEADLINE_APPROACHING",
    ]
    # A return group finds the forward events that collapse into it as well.
    received = catalogue.names(catalogue.events(group=EventGroup.RETURN_SHIPMENT_RECEIVED))
    assert "RETURN_RECEIVED" in received
    assert "SUCCESSFULLY_DELIVERED" in received


def test_refs_and_groups_lists_are_complete():
    refs = catalogue.all_refs()
    assert len(refs) == len(set(refs)) == len(ALL)
    assert "claims/created" in refs
    groups = catalogue.all_groups()
    assert set(DOCUMENTED_SHIPMENT_GROUPS) | set(RETURN_GROUPS) | set(CLAIM_GROUPS) <= set(groups)
    assert EventGroup.SHIPMENT_UNMAPPED in groups


@pytest.mark.parametrize(
    ("subscribed", "event_group", "expected"),
    [
        ("shipment_delivered_all_events", "shipment_delivered", True),
        ("shipment_delivered_all_events", "shipment_delivered_to_neighbour", True),
        ("shipment_delivered_all_events", "shipment_delivered_to_letterbox", True),
        ("shipment_delivered_all_events", "shipment_delivered_to_parcel_shop", True),
        ("shipment_delivered_all_events", "shipment_delivered_to_parcel_locker", True),
        ("shipment_delivered_all_events", "shipment_picked_up", False),
        ("shipment_delivered_all_events", "return_shipment_received", False),
        ("shipment_delivered_all_events", "shipment_in_transit", False),
        ("shipment_delivered", "shipment_delivered_to_neighbour", False),
        ("shipment_in_transit", "shipment_in_transit", True),
    ],
)
def test_group_matching_with_the_delivered_catch_all(subscribed, event_group, expected):
    assert group_matches(subscribed, event_group) is expected
