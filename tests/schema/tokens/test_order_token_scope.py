"""An order token reaches its own order and nothing else: every root field, tried with it.

The table below names every root field of the schema; a new root field fails
`test_every_root_field_is_reviewed` until someone decides what a token gets there.
"""

import pytest
from strawberry import relay
from strawberry.permission import PermissionExtension

from parcelgraph.schema.root import schema
from tests.claim_support import customer_of, parcel
from tests.factories import Factory
from tests.support import Caller

# What a customer token may run at all; every other root field refuses it (FORBIDDEN).
CUSTOMER_QUERIES = {
    "shop",
    "viewer",
    "eventCatalogue",
    "order",
    "orders",
    "shipment",
    "shipments",
    "events",
    "claims",
    "node",
    "nodes",
    "analytics",
    "trackOrder",
}
CUSTOMER_MUTATIONS = {"createClaim", "updateMyOrderAddress", "cancelMyOrder"}
CUSTOMER_SUBSCRIPTIONS = {"orderEvents", "shipmentEvents", "orderUpdated"}


def root_fields(type_name: str) -> dict[str, bool]:
    """Each root field of a type and whether its permission lets customers in."""
    fields = {}
    for field in schema.get_type_by_name(type_name).fields:  # type: ignore[union-attr]
        name = schema.config.name_converter.get_graphql_name(field)
        permissions = [
            permission
            for extension in field.extensions
            if isinstance(extension, PermissionExtension)
            for permission in extension.permissions
        ]
        fields[name] = bool(permissions) and all(
            getattr(p, "customers", False) for p in permissions
        )
    return fields


@pytest.mark.parametrize(
    ("type_name", "allowed"),
    [
        ("Query", CUSTOMER_QUERIES),
        ("Mutation", CUSTOMER_MUTATIONS),
        ("Subscription", CUSTOMER_SUBSCRIPTIONS),
    ],
)
def test_every_root_field_is_reviewed(type_name: str, allowed: set[str]) -> None:
    fields = root_fields(type_name)
    assert {name for name, customers in fields.items() if customers} == allowed


@pytest.fixture
def make(db, clock) -> Factory:  # type: ignore[no-untyped-def]
    return Factory(db, clock)


def gid(type_name: str, row_id: object) -> str:
    return relay.to_base64(type_name, row_id)


# Read fields a token may call: with another order's identifiers they answer as if it did
# not exist (null or an empty page), exactly as for an id of another shop.
async def test_reads_with_another_orders_identifiers_find_nothing(editor, make) -> None:
    mine = await parcel(make)
    other = await parcel(make, number="1002", tracking="OTHER")
    other_claim = await make.claim(other.shipment)
    (other_event,) = await make.events(other.shipment, "DELIVERY_DATE_SCHEDULED")
    customer = await customer_of(editor, mine.order)
    others = [
        gid("Order", other.order.id),
        gid("Shipment", other.shipment.id),
        gid("Claim", other_claim.id),
        gid("Event", other_event.id),
    ]

    data = await customer.data(
        """
        query($order: ID!, $shipment: ID!, $ids: [ID!]!, $first: ID!) {
          byId: order(id: $order) { id }
          byNumber: order(orderNumber: "1002") { id }
          shipmentById: shipment(id: $shipment) { id }
          shipmentByNumber: shipment(trackingNumber: "OTHER") { id }
          orders { totalCount edges { node { id } } }
          shipments { totalCount edges { node { id } } }
          events { totalCount edges { node { id } } }
          claims { totalCount edges { node { id } } }
          node(id: $first) { id }
          nodes(ids: $ids) { id }
          analytics { currency }
        }
        """,
        {"order": others[0], "shipment": others[1], "ids": others, "first": others[0]},
    )

    empty = {"totalCount": 0, "edges": []}
    assert data == {
        "byId": None,
        "byNumber": None,
        "shipmentById": None,
        "shipmentByNumber": None,
        "orders": empty,
        "shipments": empty,
        "events": empty,
        "claims": empty,
        "node": None,
        "nodes": [None, None, None, None],
        "analytics": None,
    }


async def test_the_token_reads_its_own_order_like_a_tracking_page(editor, make) -> None:
    mine = await parcel(make)
    await make.claim(mine.shipment, reason="DAMAGE")
    customer = await customer_of(editor, mine.order)

    data = await customer.data(
        """
        query($id: ID!) {
          order(id: $id) {
            orderNumber
            products { sku quantity }
            shipments { trackingNumber phase events { eventName } }
            claims { reason status }
          }
          node(id: $id) { ... on Order { orderNumber } }
        }
        """,
        {"id": gid("Order", mine.order.id)},
    )

    assert data == {
        "order": {
            "orderNumber": "1001",
            "products": [{"sku": "MUG", "quantity": 2}, {"sku": "PLATE", "quantity": 1}],
            "shipments": [
                {
                    "trackingNumber": "00340434",
                    "phase": "DELIVERED",
                    "events": [
                        {"eventName": "DEPARTURE_FROM_TRANSPORT_HUB"},
                        {"eventName": "OUT_FOR_DELIVERY"},
                        {"eventName": "SUCCESSFULLY_DELIVERED"},
                    ],
                }
            ],
            "claims": [{"reason": "DAMAGE", "status": "PENDING"}],
        },
        "node": {"orderNumber": "1001"},
    }


@pytest.mark.parametrize(
    "query",
    [
        '{ detectCarrier(trackingNumber: "1Z999AA10123456784") { code } }',
        "{ webhooks { id } }",
        '{ webhook(id: "V2ViaG9vazox") { id } }',
        'mutation { updateClaim(input: {id: "Q2xhaW06eA==", status: CLOSED}) { errors { code } } }',
        'mutation { issueOrderToken(input: {orderNumber: "1001"}) { token } }',
        'mutation { revokeOrderToken(input: {id: "T3JkZXJUb2tlbjp4"}) { errors { code } } }',
        'mutation { cancelOrder(input: {id: "1002", idType: ORDER_NUMBER}) { errors { code } } }',
        'mutation { updateOrder(input: {id: "1002", idType: ORDER_NUMBER}) { errors { code } } }',
    ],
)
async def test_merchant_fields_refuse_a_token(editor, make, query: str) -> None:
    mine = await parcel(make)
    await parcel(make, number="1002", tracking="OTHER")
    customer = await customer_of(editor, mine.order)

    body = await customer.execute(query)

    assert body["data"] in (None, {"webhook": None})
    assert [e["extensions"] for e in body["errors"]] == [{"code": "FORBIDDEN"}]


async def test_a_token_is_worth_nothing_on_another_shops_url(make_shop, editor, make) -> None:
    mine = await parcel(make)
    customer = await customer_of(editor, mine.order)
    await make_shop("globex")
    elsewhere = Caller(customer.http, "globex", customer.authorization)
    response = await elsewhere.post("{ viewer { kind } }")
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
