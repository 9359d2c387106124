"""`issueOrderToken`, `revokeOrderToken` and `Order.trackingUrl`."""

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select
from strawberry import relay

from parcelgraph.domain.enums import Role
from parcelgraph.models import OrderToken, Shop
from tests.claim_support import ISSUE_TOKEN, issue_token, parcel
from tests.factories import Factory

REVOKE = """
mutation($input: RevokeOrderTokenInput!) {
  revokeOrderToken(input: $input) {
    orderToken { id revokedAt expiresAt }
    errors { field message code }
  }
}
"""
WHO = "{ viewer { kind } }"


@pytest.fixture
def make(db, clock) -> Factory:  # type: ignore[no-untyped-def]
    return Factory(db, clock)


async def test_a_token_is_shown_once_stored_hashed_and_opens_its_order(
    editor, make, db, clock
) -> None:
    given = await parcel(make)

    payload = await issue_token(editor, given.order)

    token = payload["token"]
    assert token.startswith("pgt_") and len(token) == 4 + 43
    assert payload["trackingUrl"] == f"http://127.0.0.1:8000/track/acme/1001#token={token}"
    assert payload["orderToken"]["expiresAt"] == (clock() + timedelta(days=90)).isoformat()
    async with db.reader() as session:
        (row,) = (await session.exec(select(OrderToken))).all()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.model_dump_json()
    assert payload["orderToken"]["id"] == str(row.id)
    assert await editor.as_(f"Bearer {token}").data(WHO) == {"viewer": {"kind": "CUSTOMER"}}


async def test_lifetime_and_the_shops_own_base_url(editor, make, db, clock) -> None:
    shop = await make.shop("acme")
    order = await make.order(shop, "A/1 2")
    async with db.writer() as session:
        stmt = (
            update(Shop).where(Shop.id == shop.id).values(public_base_url="https://t.acme.example/")
        )
        await session.exec(stmt)  # type: ignore[call-overload]
        await session.commit()

    payload = await issue_token(editor, order, days=1)

    assert payload["trackingUrl"] == (
        f"https://t.acme.example/track/acme/A%2F1%202#token={payload['token']}"
    )
    assert payload["orderToken"]["expiresAt"] == (clock() + timedelta(days=1)).isoformat()
    tracking = await editor.data(
        "query($n: String!) { order(orderNumber: $n) { trackingUrl } }", {"n": "A/1 2"}
    )
    assert tracking == {"order": {"trackingUrl": "https://t.acme.example/track/acme/A%2F1%202"}}


async def test_order_tracking_url_is_the_public_lookup_without_a_secret(editor, make) -> None:
    await parcel(make)
    data = await editor.data('{ order(orderNumber: "1001") { trackingUrl } }')
    assert data == {"order": {"trackingUrl": "http://127.0.0.1:8000/track/acme/1001"}}


@pytest.mark.parametrize("days", [0, 366])
async def test_lifetime_out_of_range_and_unknown_orders_are_refused(
    editor, make, db, days: int
) -> None:
    await parcel(make)
    out_of_range = await editor.data(
        ISSUE_TOKEN, {"input": {"orderNumber": "1001", "expiresInDays": days}}
    )
    unknown = await editor.data(ISSUE_TOKEN, {"input": {"orderNumber": "9999"}})
    assert out_of_range["issueOrderToken"] == {
        "token": None,
        "trackingUrl": None,
        "orderToken": None,
        "errors": [
            {
                "field": ["expiresInDays"],
                "message": "A token lives between 1 and 365 days.",
                "code": "VALUE_OUT_OF_RANGE",
            }
        ],
    }
    assert unknown["issueOrderToken"]["errors"] == [
        {
            "field": ["orderNumber"],
            "message": "No such order in this shop.",
            "code": "ORDER_NOT_FOUND",
        }
    ]
    async with db.reader() as session:
        assert (await session.exec(select(OrderToken))).all() == []


async def test_viewers_and_customers_cannot_issue_tokens(editor, viewer, make) -> None:
    given = await parcel(make)
    customer = editor.as_(f"Bearer {(await issue_token(editor, given.order))['token']}")
    for caller in (viewer, customer):
        body = await caller.execute(ISSUE_TOKEN, {"input": {"orderNumber": "1001"}})
        assert body["data"] is None
        assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}


async def test_a_revoked_token_is_refused_at_once(editor, make, clock) -> None:
    given = await parcel(make)
    issued = await issue_token(editor, given.order)
    customer = editor.as_(f"Bearer {issued['token']}")
    assert (await customer.post(WHO)).status_code == 200

    revoked = await editor.data(REVOKE, {"input": {"id": issued["orderToken"]["id"]}})
    clock.advance(hours=1)
    again = await editor.data(REVOKE, {"input": {"id": issued["orderToken"]["id"]}})

    assert revoked["revokeOrderToken"]["errors"] == []
    assert (
        revoked["revokeOrderToken"]["orderToken"]["revokedAt"]
        == (clock() - timedelta(hours=1)).isoformat()
    )
    assert again["revokeOrderToken"] == revoked["revokeOrderToken"]  # first time kept
    response = await customer.post(WHO)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_an_expired_token_is_refused(editor, make, clock) -> None:
    given = await parcel(make)
    customer = editor.as_(f"Bearer {(await issue_token(editor, given.order, days=2))['token']}")
    clock.advance(days=2, seconds=-1)
    assert (await customer.post(WHO)).status_code == 200
    clock.advance(seconds=1)
    response = await customer.post(WHO)
    assert response.status_code == 401
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "This order token has expired or was revoked.",
                "extensions": {"code": "UNAUTHENTICATED"},
            }
        ],
    }


async def test_unknown_and_foreign_tokens_cannot_be_revoked(make_shop, editor, make) -> None:
    given = await parcel(make)
    issued = await issue_token(editor, given.order)
    other = await make_shop("globex", role=Role.EDITOR)
    foreign = await other.data(REVOKE, {"input": {"id": issued["orderToken"]["id"]}})
    wrong_type = await editor.data(
        REVOKE, {"input": {"id": relay.to_base64("Order", given.order.id)}}
    )
    assert foreign["revokeOrderToken"] == {
        "orderToken": None,
        "errors": [
            {
                "field": ["id"],
                "message": "No such order token in this shop.",
                "code": "TOKEN_NOT_FOUND",
            }
        ],
    }
    assert wrong_type["revokeOrderToken"]["errors"][0]["code"] == "INVALID_ID"
    assert (await editor.as_(f"Bearer {issued['token']}").post(WHO)).status_code == 200
