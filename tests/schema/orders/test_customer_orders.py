"""`updateMyOrderAddress` and `cancelMyOrder`: a token holder's changes, allowed only before
anything ships, validated like the merchant's, and heard by the merchant's webhooks."""

import pytest
from sqlmodel import select

from parcelgraph.models import Event, Order, Webhook, WebhookDelivery
from tests.claim_support import customer_of
from tests.factories import Factory

ADDRESS = """
mutation($input: UpdateMyOrderAddressInput!) {
  updateMyOrderAddress(input: $input) {
    order { orderNumber address { name street zipCode city countryCode } state }
    errors { field message code }
  }
}
"""
CANCEL = """
mutation($input: CancelMyOrderInput) {
  cancelMyOrder(input: $input) {
    order { orderNumber state cancelReason cancelledAt }
    errors { field message code }
  }
}
"""
NEW_ADDRESS = {
    "name": "Ada Lovelace",
    "addressLine1": "Unter den Linden 1",
    "zipCode": "10117",
    "city": "Berlin",
    "countryCode": "DE",
}


@pytest.fixture
def make(db, clock) -> Factory:  # type: ignore[no-untyped-def]
    return Factory(db, clock)


async def placed(make: Factory, number: str = "1001") -> Order:
    """An order with one expected (draft) package."""
    order = await make.order(await make.shop("acme"), number)
    await make.shipment(order)
    return order


async def events_of(db, order: Order) -> list[Event]:  # type: ignore[no-untyped-def]
    async with db.reader() as session:
        stmt = select(Event).where(Event.order_id == order.id).order_by(Event.position)  # type: ignore[arg-type]
        return list((await session.exec(stmt)).all())


async def test_the_customer_fixes_the_address_before_shipping(editor, make, db) -> None:
    order = await placed(make)
    async with db.writer() as session:
        hook = Webhook(shop_id=order.shop_id, url="https://hooks.example/", secret="s")
        session.add(hook)
        await session.commit()
    customer = await customer_of(editor, order)

    payload = (await customer.data(ADDRESS, {"input": {"address": NEW_ADDRESS}}))[
        "updateMyOrderAddress"
    ]

    assert payload == {
        "order": {
            "orderNumber": "1001",
            "address": {
                "name": "Ada Lovelace",
                "street": "Unter den Linden 1",
                "zipCode": "10117",
                "city": "Berlin",
                "countryCode": "DE",
            },
            "state": "PLACED",
        },
        "errors": [],
    }
    (event,) = await events_of(db, order)
    assert (event.event_name, event.event_group) == (
        "INTERNAL_TRIGGER",
        "shipment_internal_trigger",
    )
    assert event.data == {
        "action": "order_updated",
        "fields": ["address"],
        "changed_by": "CUSTOMER",
    }
    async with db.reader() as session:
        deliveries = (await session.exec(select(WebhookDelivery))).all()
    assert [(d.webhook_id, d.event_position) for d in deliveries] == [(hook.id, event.position)]


async def test_the_address_is_validated_as_for_merchants(editor, make, db) -> None:
    order = await placed(make)
    customer = await customer_of(editor, order)
    bad = {**NEW_ADDRESS, "zipCode": "1011", "provinceCode": "ZZ"}

    payload = (await customer.data(ADDRESS, {"input": {"address": bad}}))["updateMyOrderAddress"]

    assert payload["order"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        (["address", "zipCode"], "ZIP_CODE_INVALID"),
        (["address", "provinceCode"], "PROVINCE_CODE_INVALID"),
    ]
    assert await events_of(db, order) == []


async def test_no_address_change_once_a_parcel_has_tracking(editor, make, db) -> None:
    order = await make.order(await make.shop("acme"), "1001", expected_shipments=2)
    await make.shipment(order, tracking_number="00340434")
    await make.shipment(order)
    customer = await customer_of(editor, order)

    payload = (await customer.data(ADDRESS, {"input": {"address": NEW_ADDRESS}}))[
        "updateMyOrderAddress"
    ]

    assert payload == {
        "order": None,
        "errors": [
            {
                "field": ["address"],
                "message": "A parcel has shipped; the address is on its label.",
                "code": "ORDER_NOT_EDITABLE",
            }
        ],
    }


async def test_the_customer_cancels_while_nothing_shipped(editor, make, db, clock) -> None:
    order = await placed(make)
    customer = await customer_of(editor, order)

    payload = (await customer.data(CANCEL, {"input": {"reason": "Ordered twice"}}))["cancelMyOrder"]
    again = (await customer.data(CANCEL))["cancelMyOrder"]

    assert payload == {
        "order": {
            "orderNumber": "1001",
            "state": "CANCELLED",
            "cancelReason": "Ordered twice",
            "cancelledAt": clock().isoformat(),
        },
        "errors": [],
    }
    assert [(e.event_name, e.data) for e in await events_of(db, order)] == [
        ("ORDER_CANCELLED", {"reason": "Ordered twice", "changed_by": "CUSTOMER"})
    ]
    assert again == {
        "order": None,
        "errors": [
            {
                "field": None,
                "message": "The order is cancelled already.",
                "code": "ORDER_NOT_CANCELLABLE",
            }
        ],
    }


async def test_no_cancel_once_a_parcel_has_tracking(editor, make, db) -> None:
    order = await make.order(await make.shop("acme"), "1001")
    await make.shipment(order, tracking_number="00340434")
    customer = await customer_of(editor, order)

    payload = (await customer.data(CANCEL))["cancelMyOrder"]

    assert payload == {
        "order": None,
        "errors": [
            {
                "field": None,
                "message": "A shipment has a tracking number already.",
                "code": "ORDER_NOT_CANCELLABLE",
            }
        ],
    }
    assert await events_of(db, order) == []


async def test_the_change_reaches_only_the_tokens_order(editor, make, db) -> None:
    mine = await placed(make, "1001")
    other = await placed(make, "1002")
    customer = await customer_of(editor, mine)

    await customer.data(CANCEL)

    async with db.reader() as session:
        states = dict(
            (await session.exec(select(Order.order_number, Order.state))).all()  # type: ignore[call-overload]
        )
    assert states == {"1001": "CANCELLED", "1002": "PLACED"}
    assert await events_of(db, other) == []


async def test_api_keys_use_the_merchant_mutations_instead(editor, make) -> None:
    await placed(make)
    body = await editor.execute(CANCEL)
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
