"""The enabledEvents matching table and catalogue validation."""

import pytest

from parcelgraph.domain.webhook_matching import (
    DELIVERED_GROUPS,
    enabled_event_matches,
    unknown_entries,
    webhook_wants,
)

DELIVERED = ("shipments/delivered/SUCCESSFULLY_DELIVERED", "shipment_delivered")
NEIGHBOUR = ("shipments/delivered/DELIVERED_TO_NEIGHBOUR", "shipment_delivered_to_neighbour")
IN_TRANSIT = ("shipments/in_transit/DEPARTURE_FROM_TRANSPORT_HUB", "shipment_in_transit")
OUT_FOR_DELIVERY = ("shipments/in_delivery/OUT_FOR_DELIVERY", "shipment_out_for_delivery")
CLAIM_CREATED = ("claims/created", "claim_created")
CLAIM_UPDATED = ("claims/updated", "claim_updated")

# entry, event (ref, group), expected
TABLE = [
    # `*` matches everything
    ("*", DELIVERED, True),
    ("*", CLAIM_CREATED, True),
    # the exact ref
    ("shipments/delivered/SUCCESSFULLY_DELIVERED", DELIVERED, True),
    ("shipments/delivered/SUCCESSFULLY_DELIVERED", NEIGHBOUR, False),
    ("claims/created", CLAIM_CREATED, True),
    ("claims/created", CLAIM_UPDATED, False),
    # a prefix at a `/` boundary
    ("shipments", DELIVERED, True),
    ("shipments", CLAIM_CREATED, False),
    ("shipments/delivered", DELIVERED, True),
    ("shipments/delivered", NEIGHBOUR, True),
    ("shipments/delivered", IN_TRANSIT, False),
    ("claims", CLAIM_CREATED, True),
    ("claims", CLAIM_UPDATED, True),
    ("claims", DELIVERED, False),
    # a prefix that stops inside a segment matches nothing
    ("shipments/deliv", DELIVERED, False),
    ("ship", DELIVERED, False),
    ("claims/create", CLAIM_CREATED, False),
    ("shipments/delivered/SUCCESSFULLY", DELIVERED, False),
    # trailing slash, wrong case, longer than the ref, empty
    ("shipments/delivered/", DELIVERED, False),
    ("Shipments/delivered", DELIVERED, False),
    ("shipments/delivered/SUCCESSFULLY_DELIVERED/x", DELIVERED, False),
    ("", DELIVERED, False),
    # an event group by name
    ("shipment_delivered", DELIVERED, True),
    ("shipment_delivered", NEIGHBOUR, False),
    ("shipment_in_transit", IN_TRANSIT, True),
    ("shipment_in_transit", OUT_FOR_DELIVERY, False),
    ("claim_created", CLAIM_CREATED, True),
    ("claim_created", CLAIM_UPDATED, False),
    # the delivered catch-all group
    ("shipment_delivered_all_events", DELIVERED, True),
    ("shipment_delivered_all_events", NEIGHBOUR, True),
    ("shipment_delivered_all_events", IN_TRANSIT, False),
    ("shipment_delivered_all_events", CLAIM_CREATED, False),
]


@pytest.mark.parametrize(("entry", "event", "expected"), TABLE)
def test_enabled_event_matching_table(entry, event, expected):
    ref, group = event

    assert enabled_event_matches(entry, ref, group) is expected


@pytest.mark.parametrize(
    "group",
    sorted(DELIVERED_GROUPS),
)
def test_the_catch_all_covers_every_delivered_variant(group):
    assert enabled_event_matches("shipment_delivered_all_events", "shipments/delivered/X", group)


def test_the_delivered_variants_are_the_five_documented_groups():
    assert DELIVERED_GROUPS == {
        "shipment_delivered",
        "shipment_delivered_to_neighbour",
        "shipment_delivered_to_letterbox",
        "shipment_delivered_to_parcel_shop",
        "shipment_delivered_to_parcel_locker",
    }


def test_a_webhook_wants_an_event_when_any_entry_matches():
    enabled = ["claims/updated", "shipment_in_transit"]

    assert webhook_wants(enabled, *IN_TRANSIT) is True
    assert webhook_wants(enabled, *CLAIM_UPDATED) is True
    assert webhook_wants(enabled, *CLAIM_CREATED) is False
    assert webhook_wants(enabled, *DELIVERED) is False


def test_an_empty_list_wants_nothing():
    assert webhook_wants([], *DELIVERED) is False


CATALOGUE_REFS = {DELIVERED[0], NEIGHBOUR[0], IN_TRANSIT[0], CLAIM_CREATED[0], CLAIM_UPDATED[0]}
CATALOGUE_GROUPS = {DELIVERED[1], NEIGHBOUR[1], IN_TRANSIT[1], CLAIM_CREATED[1], CLAIM_UPDATED[1]}


def test_entries_that_match_something_in_the_catalogue_are_known():
    entries = [
        "*",
        "shipments",
        "shipments/delivered",
        "shipments/delivered/SUCCESSFULLY_DELIVERED",
        "claims",
        "claims/created",
        "shipment_in_transit",
        "shipment_delivered_all_events",
    ]

    assert unknown_entries(entries, CATALOGUE_REFS, CATALOGUE_GROUPS) == []


def test_unknown_entries_are_listed_once_in_input_order():
    entries = [
        "shipments/deliv",
        "claims",
        "shipment_teleported",
        "shipments/deliv",
        "shipments/delivered/",
        "claims/created/extra",
    ]

    assert unknown_entries(entries, CATALOGUE_REFS, CATALOGUE_GROUPS) == [
        "shipments/deliv",
        "shipment_teleported",
        "shipments/delivered/",
        "claims/created/extra",
    ]


def test_the_catch_all_is_unknown_to_a_catalogue_without_delivered_groups():
    refs = {IN_TRANSIT[0]}
    groups = {IN_TRANSIT[1]}

    assert unknown_entries(["shipment_delivered_all_events"], refs, groups) == [
        "shipment_delivered_all_events"
    ]
