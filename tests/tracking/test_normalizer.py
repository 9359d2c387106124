"""Raw carrier statuses become catalogue events; unknown codes are kept as UNMAPPED."""

from datetime import UTC, datetime

from parcelgraph.tracking.adapters import RawStatus
from parcelgraph.tracking.normalizer import normalize
from parcelgraph.tracking.sandbox import STATUS_MAP

AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_a_known_code_maps_to_its_event_and_keeps_the_raw_code():
    scan = normalize(
        RawStatus("OFD", "Out for delivery", AT, "Hamburg, DE"),
        adapter="sandbox",
        status_map=STATUS_MAP,
    )
    assert (scan.event_name, scan.raw_code, scan.message, scan.location, scan.occurred_at) == (
        "OUT_FOR_DELIVERY",
        "OFD",
        "Out for delivery",
        "Hamburg, DE",
        AT,
    )


def test_an_unknown_code_is_kept_for_review_not_dropped():
    scan = normalize(RawStatus("ZZ9", "Parcel sighted", AT), adapter="sandbox", status_map={})
    assert (scan.event_name, scan.raw_code, scan.message, scan.data) == (
        "UNMAPPED",
        "ZZ9",
        "Parcel sighted",
        {"carrier_adapter": "sandbox", "unmapped": True},
    )


def test_a_map_entry_outside_the_catalogue_is_unmapped_too():
    scan = normalize(RawStatus("X", "x", AT), adapter="a", status_map={"X": "TELEPORTED"})
    assert (scan.event_name, scan.raw_code) == ("UNMAPPED", "X")


def test_the_same_status_always_gets_the_same_external_id():
    status = RawStatus("DLV", "Delivered", AT, "Berlin, DE")
    first = normalize(status, adapter="sandbox", status_map=STATUS_MAP).external_id
    again = normalize(status, adapter="sandbox", status_map=STATUS_MAP).external_id
    later = normalize(
        RawStatus("DLV", "Delivered", AT.replace(minute=1), "Berlin, DE"),
        adapter="sandbox",
        status_map=STATUS_MAP,
    ).external_id
    assert first == again
    assert first != later
    assert first is not None and first.startswith("sandbox:") and len(first) == 40
