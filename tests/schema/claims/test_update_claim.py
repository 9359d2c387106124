"""`updateClaim`: the status machine, the resolution preference, and the CLAIM_UPDATED event."""

import pytest
from strawberry import relay

from parcelgraph.domain.enums import Role
from tests.claim_support import claim_events, parcel
from tests.factories import Factory

UPDATE = """
mutation($input: UpdateClaimInput!) {
  updateClaim(input: $input) {
    claim { id status resolutionPreference updatedAt selectedItems { sku quantity } }
    errors { field message code }
  }
}
"""


@pytest.fixture
def make(db, clock) -> Factory:  # type: ignore[no-untyped-def]
    return Factory(db, clock)


async def update(caller, claim, **changes: object) -> dict:  # type: ignore[no-untyped-def]
    variables = {"input": {"id": relay.to_base64("Claim", claim.id), **changes}}
    return (await caller.data(UPDATE, variables))["updateClaim"]


async def test_accept_then_close_emits_one_event_each(editor, make, db, clock) -> None:
    given = await parcel(make)
    claim = await make.claim(given.shipment, items=[("MUG", "Mug", 1)])
    clock.advance(hours=1)

    accepted = await update(editor, claim, status="ACCEPTED", resolutionPreference="REORDER")
    clock.advance(hours=1)
    closed = await update(editor, claim, status="CLOSED")

    assert accepted["errors"] == [] and closed["errors"] == []
    assert accepted["claim"]["status"] == "ACCEPTED"
    assert accepted["claim"]["resolutionPreference"] == "REORDER"
    assert closed["claim"] == {
        "id": relay.to_base64("Claim", claim.id),
        "status": "CLOSED",
        "resolutionPreference": "REORDER",
        "updatedAt": clock().isoformat(),
        "selectedItems": [{"sku": "MUG", "quantity": 1}],
    }
    first, second = await claim_events(db, given.order)
    assert (first.ref, first.event_name, first.event_group) == (
        "claims/updated",
        "CLAIM_UPDATED",
        "claim_updated",
    )
    assert (first.data["status"], first.data["resolution_preference"]) == ("ACCEPTED", "REORDER")
    assert second.data == {
        "claim_id": str(claim.id),
        "shipment_id": str(given.shipment.id),
        "event_name": "updated",
        "event_group": "claim_updated",
        "created_at": claim.created_at.isoformat(),
        "updated_at": clock().isoformat(),
        "status": "CLOSED",
        "reason": "DAMAGE",
        "resolution_preference": "REORDER",
        "description": None,
        "selected_items": [
            {"sku": "MUG", "title": "Mug", "quantity": 1, "net_price": None, "image_urls": []}
        ],
        "image_urls": [],
        "optional_image_urls": [],
        "customer_signature_image_url": None,
    }
    assert second.sequence == first.sequence + 1


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("PENDING", "PENDING", "ACCEPTED, CLOSED, REJECTED"),
        ("ACCEPTED", "REJECTED", "CLOSED"),
        ("ACCEPTED", "PENDING", "CLOSED"),
        ("REJECTED", "ACCEPTED", "CLOSED"),
        ("CLOSED", "ACCEPTED", "nothing (it is final)"),
        ("CLOSED", "CLOSED", "nothing (it is final)"),
    ],
)
async def test_moves_outside_the_machine_are_refused(
    editor, make, db, current: str, target: str, allowed: str
) -> None:
    given = await parcel(make)
    claim = await make.claim(given.shipment, status=current)

    payload = await update(editor, claim, status=target)

    assert payload == {
        "claim": None,
        "errors": [
            {
                "field": ["status"],
                "message": f"The claim is {current} and cannot become {target}; "
                f"it can become {allowed}.",
                "code": "INVALID_STATUS_TRANSITION",
            }
        ],
    }
    assert await claim_events(db, given.order) == []


@pytest.mark.parametrize("target", ["ACCEPTED", "REJECTED", "CLOSED"])
async def test_every_allowed_move_from_pending(editor, make, target: str) -> None:
    given = await parcel(make)
    claim = await make.claim(given.shipment)
    assert (await update(editor, claim, status=target))["claim"]["status"] == target


async def test_a_preference_change_alone_is_an_update_but_no_change_is_none(
    editor, make, db
) -> None:
    given = await parcel(make)
    claim = await make.claim(given.shipment, preference="REFUND")

    same = await update(editor, claim, resolutionPreference="REFUND")
    changed = await update(editor, claim, resolutionPreference="REORDER")

    assert same["errors"] == [] and same["claim"]["resolutionPreference"] == "REFUND"
    assert changed["claim"]["status"] == "PENDING"
    (event,) = await claim_events(db, given.order)
    assert event.data["resolution_preference"] == "REORDER"


async def test_unknown_and_foreign_claims_are_not_found(make_shop, editor, make) -> None:
    given = await parcel(make)
    claim = await make.claim(given.shipment)
    other = await make_shop("globex", role=Role.EDITOR)

    foreign = await update(other, claim, status="CLOSED")
    malformed = (await editor.data(UPDATE, {"input": {"id": relay.to_base64("Order", claim.id)}}))[
        "updateClaim"
    ]

    assert foreign["errors"] == [
        {
            "field": ["id"],
            "message": "No such claim in this shop.",
            "code": "CLAIM_NOT_FOUND",
        }
    ]
    assert malformed["errors"] == [
        {"field": ["id"], "message": "Not a valid Claim id.", "code": "INVALID_ID"}
    ]


async def test_viewers_may_not_update_claims(viewer, make) -> None:
    given = await parcel(make)
    claim = await make.claim(given.shipment)
    body = await viewer.execute(
        UPDATE, {"input": {"id": relay.to_base64("Claim", claim.id), "status": "CLOSED"}}
    )
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
