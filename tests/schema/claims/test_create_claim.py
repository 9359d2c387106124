"""`createClaim` by merchant keys: eligibility, selected items, limits, duplicates, the event."""

import pytest
from strawberry import relay

from parcelgraph.domain.enums import Role
from tests.claim_support import IN_TRANSIT, claim_events, customer_of, parcel
from tests.factories import Factory
from tests.support import Caller

CREATE = """
mutation($input: CreateClaimInput!) {
  createClaim(input: $input) {
    claim {
      id reason status resolutionPreference description imageUrls optionalImageUrls
      customerSignatureImageUrl dropoffPermission createdBy createdAt updatedAt
      selectedItems { sku title quantity netPrice imageUrls }
      order { orderNumber } shipment { trackingNumber }
    }
    errors { field message code }
  }
}
"""


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"claim_description_max_length": 40, "not_received_after_days": 7}


@pytest.fixture
def make(db, clock) -> Factory:  # type: ignore[no-untyped-def]
    return Factory(db, clock)


def claim_input(**extra: object) -> dict[str, object]:
    return {"orderNumber": "1001", "trackingNumber": "00340434", "reason": "DAMAGE", **extra}


async def create(caller: Caller, **extra: object) -> dict:
    return (await caller.data(CREATE, {"input": claim_input(**extra)}))["createClaim"]


async def test_editor_files_a_damage_claim_on_a_delivered_parcel(editor, make, db, clock) -> None:
    given = await parcel(make)

    payload = await create(
        editor,
        resolutionPreference="REFUND",
        description="The mug arrived broken.",
        selectedItems=[
            {
                "sku": "MUG",
                "title": "Mug",
                "quantity": 1,
                "netPrice": "10.5",
                "imageUrls": ["https://img.example/mug.jpg"],
            }
        ],
        imageUrls=["https://img.example/box.jpg"],
        customerSignatureImageUrl="https://img.example/sig.png",
        dropoffPermission=True,
    )

    assert payload["errors"] == []
    claim = payload["claim"]
    stamp = clock().isoformat()
    assert {k: v for k, v in claim.items() if k != "id"} == {
        "reason": "DAMAGE",
        "status": "PENDING",
        "resolutionPreference": "REFUND",
        "description": "The mug arrived broken.",
        "imageUrls": ["https://img.example/box.jpg"],
        "optionalImageUrls": [],
        "customerSignatureImageUrl": "https://img.example/sig.png",
        "dropoffPermission": True,
        "createdBy": "MERCHANT",
        "createdAt": stamp,
        "updatedAt": stamp,
        "selectedItems": [
            {
                "sku": "MUG",
                "title": "Mug",
                "quantity": 1,
                "netPrice": "10.5000",
                "imageUrls": ["https://img.example/mug.jpg"],
            }
        ],
        "order": {"orderNumber": "1001"},
        "shipment": {"trackingNumber": "00340434"},
    }
    claim_id = relay.GlobalID.from_id(claim["id"]).node_id
    (event,) = await claim_events(db, given.order)
    assert (event.ref, event.event_name, event.event_group) == (
        "claims/created",
        "CLAIM_CREATED",
        "claim_created",
    )
    assert str(event.claim_id) == claim_id
    assert event.shipment_id is None
    assert event.data == {
        "claim_id": claim_id,
        "shipment_id": str(given.shipment.id),
        "event_name": "created",
        "event_group": "claim_created",
        "created_at": stamp,
        "updated_at": stamp,
        "status": "PENDING",
        "reason": "DAMAGE",
        "resolution_preference": "REFUND",
        "description": "The mug arrived broken.",
        "selected_items": [
            {
                "sku": "MUG",
                "title": "Mug",
                "quantity": 1,
                "net_price": "10.5000",
                "image_urls": ["https://img.example/mug.jpg"],
            }
        ],
        "image_urls": ["https://img.example/box.jpg"],
        "optional_image_urls": [],
        "customer_signature_image_url": "https://img.example/sig.png",
    }


async def test_order_and_shipment_can_be_named_by_global_ids(editor, make) -> None:
    given = await parcel(make)
    payload = await create(
        editor,
        orderNumber=None,
        trackingNumber=None,
        orderId=relay.to_base64("Order", given.order.id),
        shipmentId=relay.to_base64("Shipment", given.shipment.id),
        reason="SUPPORT",
    )
    assert payload["errors"] == []
    assert payload["claim"]["reason"] == "SUPPORT"


async def test_a_reason_the_parcel_state_does_not_allow_is_refused_with_why(
    editor, make, db
) -> None:
    given = await parcel(make, events=IN_TRANSIT)

    damage = await create(editor)
    not_received = await create(editor, reason="NOT_RECEIVED")

    assert damage == {
        "claim": None,
        "errors": [
            {
                "field": ["reason"],
                "message": "DAMAGE needs the parcel delivered or picked up (it is in_transit).",
                "code": "CLAIM_NOT_ELIGIBLE",
            }
        ],
    }
    assert not_received["errors"] == [
        {
            "field": ["reason"],
            "message": "NOT_RECEIVED needs the parcel delivered, failed, or without news for "
            "7 days (it is in_transit).",
            "code": "CLAIM_NOT_ELIGIBLE",
        }
    ]
    assert await claim_events(db, given.order) == []


async def test_not_received_opens_after_seven_silent_days(editor, make, clock) -> None:
    await parcel(make, events=IN_TRANSIT)
    clock.advance(days=7, seconds=-1)
    assert (await create(editor, reason="NOT_RECEIVED"))["errors"][0]["code"] == (
        "CLAIM_NOT_ELIGIBLE"
    )
    clock.advance(seconds=1)
    payload = await create(editor, reason="NOT_RECEIVED")
    assert payload["errors"] == []
    assert payload["claim"]["reason"] == "NOT_RECEIVED"


async def test_a_draft_shipment_cannot_be_claimed(editor, make) -> None:
    shop = await make.shop("acme")
    order = await make.order(shop, "1001")
    draft = await make.shipment(order)
    payload = await create(
        editor,
        trackingNumber=None,
        shipmentId=relay.to_base64("Shipment", draft.id),
        reason="SUPPORT",
    )
    assert payload["errors"] == [
        {
            "field": ["reason"],
            "message": "SUPPORT needs a fulfilled shipment: this package has no tracking "
            "number yet.",
            "code": "CLAIM_NOT_ELIGIBLE",
        }
    ]


async def test_selected_items_must_be_in_the_shipment_within_its_units(editor, make) -> None:
    await parcel(make)
    payload = await create(
        editor,
        selectedItems=[
            {"sku": "MUG", "title": "Mug", "quantity": 2},
            {"sku": "MUG", "title": "Mug", "quantity": 1},
            {"sku": "BOWL", "title": "Bowl", "quantity": 1},
            {"sku": "PLATE", "title": "Plate", "quantity": 2},
            {"sku": "PLATE", "title": "Plate", "quantity": 0},
        ],
    )
    assert payload == {
        "claim": None,
        "errors": [
            {
                "field": ["selectedItems", "4", "quantity"],
                "message": "Must be between 1 and ∞.",
                "code": "VALUE_OUT_OF_RANGE",
            },
            {
                "field": ["selectedItems", "1", "quantity"],
                "message": "The shipment holds 2 of 'MUG'; 3 selected.",
                "code": "QUANTITY_EXCEEDS_SHIPMENT",
            },
            {
                "field": ["selectedItems", "2", "sku"],
                "message": "No product with sku 'BOWL' in this shipment.",
                "code": "UNKNOWN_PRODUCT",
            },
            {
                "field": ["selectedItems", "3", "quantity"],
                "message": "The shipment holds 1 of 'PLATE'; 2 selected.",
                "code": "QUANTITY_EXCEEDS_SHIPMENT",
            },
        ],
    }


async def test_items_are_checked_against_this_shipment_not_the_whole_order(editor, make) -> None:
    given = await parcel(make)
    await make.shipment(given.order, tracking_number="SECOND", contents=[("PLATE", 1)])
    await make.events(
        (await make.shipment(given.order, tracking_number="THIRD", contents=[("MUG", 1)])),
        "DEPARTURE_FROM_TRANSPORT_HUB",
        "OUT_FOR_DELIVERY",
        "SUCCESSFULLY_DELIVERED",
    )
    payload = await create(
        editor,
        trackingNumber="THIRD",
        selectedItems=[{"sku": "PLATE", "title": "Plate", "quantity": 1}],
    )
    assert [e["code"] for e in payload["errors"]] == ["UNKNOWN_PRODUCT"]


async def test_urls_and_description_length_are_validated_together(editor, make) -> None:
    await parcel(make)
    payload = await create(
        editor,
        description="x" * 41,
        imageUrls=["https://ok.example/a.jpg", "ftp://bad.example/b.jpg"],
        optionalImageUrls=["not a url"],
        customerSignatureImageUrl="javascript:alert(1)",
    )
    assert payload["errors"] == [
        {
            "field": ["description"],
            "message": "At most 40 characters (got 41).",
            "code": "VALUE_TOO_LONG",
        },
        {
            "field": ["imageUrls", "1"],
            "message": "'ftp://bad.example/b.jpg' is not an absolute http(s) URL.",
            "code": "INVALID_URL",
        },
        {
            "field": ["optionalImageUrls", "0"],
            "message": "'not a url' is not an absolute http(s) URL.",
            "code": "INVALID_URL",
        },
        {
            "field": ["customerSignatureImageUrl"],
            "message": "'javascript:alert(1)' is not an absolute http(s) URL.",
            "code": "INVALID_URL",
        },
    ]


async def test_one_open_claim_per_shipment_and_reason(editor, make, db) -> None:
    given = await parcel(make)
    first = await create(editor)
    assert first["errors"] == []

    again = await create(editor)
    other_reason = await create(editor, reason="WRONG_ITEM")

    assert again == {
        "claim": None,
        "errors": [
            {
                "field": ["reason"],
                "message": "This shipment already has an open DAMAGE claim.",
                "code": "DUPLICATE_CLAIM",
            }
        ],
    }
    assert other_reason["errors"] == []
    assert len(await claim_events(db, given.order)) == 2  # the refused one left no event


async def test_a_closed_claim_frees_the_reason_again(editor, make) -> None:
    given = await parcel(make)
    await make.claim(given.shipment, reason="DAMAGE", status="REJECTED")
    await make.claim(given.shipment, reason="DAMAGE", status="CLOSED")
    assert (await create(editor))["errors"] == []


async def test_order_and_shipment_must_exist_and_belong_together(editor, make) -> None:
    given = await parcel(make)
    await parcel(make, number="1002", tracking="OTHER")

    unknown_order = await create(editor, orderNumber="9999")
    foreign_parcel = await create(editor, trackingNumber="OTHER")
    both = await create(editor, orderId=relay.to_base64("Order", given.order.id))
    bad_id = await create(editor, orderNumber=None, orderId="bm90LWFuLWlk")
    neither = await create(editor, trackingNumber=None)

    assert unknown_order["errors"] == [
        {
            "field": ["orderNumber"],
            "message": "No such order in this shop.",
            "code": "ORDER_NOT_FOUND",
        }
    ]
    assert foreign_parcel["errors"] == [
        {
            "field": ["trackingNumber"],
            "message": "No such shipment on this order.",
            "code": "SHIPMENT_NOT_FOUND",
        }
    ]
    assert both["errors"] == [
        {
            "field": None,
            "message": "Give orderId or orderNumber, not both.",
            "code": "INVALID_INPUT",
        }
    ]
    assert bad_id["errors"] == [
        {"field": ["orderId"], "message": "Not a valid Order id.", "code": "INVALID_ID"}
    ]
    assert neither["errors"] == [
        {
            "field": None,
            "message": "Name the shipment: shipmentId or trackingNumber.",
            "code": "REQUIRED",
        }
    ]


async def test_another_shops_order_is_not_found(make_shop, editor, make) -> None:
    await parcel(make)
    other = await make_shop("globex", role=Role.EDITOR)
    payload = await create(other)
    assert [e["code"] for e in payload["errors"]] == ["ORDER_NOT_FOUND"]


async def test_viewers_may_not_file_claims(viewer, make, db) -> None:
    given = await parcel(make)
    body = await viewer.execute(CREATE, {"input": claim_input()})
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert await claim_events(db, given.order) == []


async def test_the_customer_files_a_claim_on_their_own_order(editor, make, db) -> None:
    given = await parcel(make)
    await parcel(make, number="1002", tracking="OTHER")
    customer = await customer_of(editor, given.order)

    own = await create(customer, orderNumber=None, reason="MISSING_ITEM")
    other_order = await create(customer, orderNumber="1002", trackingNumber="OTHER")
    other_parcel = await create(customer, orderNumber=None, trackingNumber="OTHER")

    assert own["errors"] == []
    assert (own["claim"]["createdBy"], own["claim"]["order"]) == (
        "CUSTOMER",
        {"orderNumber": "1001"},
    )
    assert other_order["errors"] == [
        {
            "field": ["orderNumber"],
            "message": "No such order in this shop.",
            "code": "ORDER_NOT_FOUND",
        }
    ]
    assert other_parcel["errors"] == [
        {
            "field": ["trackingNumber"],
            "message": "No such shipment on this order.",
            "code": "SHIPMENT_NOT_FOUND",
        }
    ]
    assert [e.event_name for e in await claim_events(db, given.order)] == ["CLAIM_CREATED"]
