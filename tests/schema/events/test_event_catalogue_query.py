"""eventCatalogue: the catalogue as data, filtered by phase, group and source."""

from parcelgraph.domain import catalogue

QUERY = """
query($phase: Phase, $group: String, $source: EventSource) {
  eventCatalogue(phase: $phase, group: $group, source: $source) {
    name ref source phase group returnGroup description
    delayed failedAttempt damaged preTransit keepsPhase
  }
}
"""


async def entries(caller, **variables):
    return (await caller.data(QUERY, variables))["eventCatalogue"]


async def test_an_unfiltered_catalogue_lists_every_event(viewer):
    found = await entries(viewer)
    assert [e["name"] for e in found] == [d.name for d in catalogue.all_definitions()]


async def test_one_entry_carries_its_phase_groups_and_flags(viewer):
    found = await entries(viewer, phase="IN_DELIVERY")
    attempted = next(e for e in found if e["name"] == "DELIVERY_ATTEMPTED")
    assert attempted == {
        "name": "DELIVERY_ATTEMPTED",
        "ref": "shipments/in_delivery/DELIVERY_ATTEMPTED",
        "source": "SHIPMENTS",
        "phase": "IN_DELIVERY",
        "group": "shipment_delivery_failed",
        "returnGroup": "return_shipment_failed",
        "description": catalogue.get("DELIVERY_ATTEMPTED").description,
        "delayed": False,
        "failedAttempt": True,
        "damaged": False,
        "preTransit": False,
        "keepsPhase": False,
    }
    assert {e["phase"] for e in found} == {"IN_DELIVERY"}
    assert [e["name"] for e in found] == [
        "OUT_FOR_DELIVERY",
        "DELIVERY_TIME_WINDOW_ANNOUNCED",
        "DRIVER_NEARBY",
        "DELIVERY_ATTEMPTED",
        "OUT_FOR_DELIVERY_SECOND_ATTEMPT",
    ]


async def test_a_group_filter_matches_forward_and_return_groups(viewer):
    neighbour = await entries(viewer, group="shipment_delivered_to_neighbour")
    returns = await entries(viewer, group="return_shipment_delayed")
    assert [e["name"] for e in neighbour] == ["DELIVERED_TO_NEIGHBOUR"]
    assert {e["returnGroup"] for e in returns} == {"return_shipment_delayed"}
    assert "RETURN_DELAYED" in [e["name"] for e in returns]


async def test_the_delivered_catch_all_lists_every_delivered_variant(viewer):
    found = await entries(viewer, group="shipment_delivered_all_events")
    assert {e["group"] for e in found} == {
        "shipment_delivered",
        "shipment_delivered_to_neighbour",
        "shipment_delivered_to_letterbox",
        "shipment_delivered_to_parcel_shop",
        "shipment_delivered_to_parcel_locker",
    }


async def test_phase_and_source_filters_combine(viewer):
    claims = await entries(viewer, source="CLAIMS")
    none = await entries(viewer, source="CLAIMS", phase="DELIVERED")
    assert [(e["name"], e["ref"], e["phase"]) for e in claims] == [
        ("CLAIM_CREATED", "claims/created", None),
        ("CLAIM_UPDATED", "claims/updated", None),
    ]
    assert none == []


async def test_an_unknown_group_matches_nothing(viewer):
    assert await entries(viewer, group="shipment_teleported") == []
