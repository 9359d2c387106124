"""The compiled path for `order(orderNumber:)` answers byte for byte like normal execution.

Every document runs twice over HTTP, with the compiled path switched on and off, for an
API key, a viewer key, a customer's token (its own order and another one) and no
credentials; status, headers that matter and the body's bytes must be equal. The
documents are the read documents of the test suite that touch orders, the benchmark's Q1,
and generated variations (field subsets, aliases, literals, unknown numbers, shapes the
compiled path must refuse).
"""

import ast
import itertools
import re
from pathlib import Path

import pytest

from parcelgraph.domain.enums import Direction
from parcelgraph.schema.orders.compiled_context import Switch
from scripts.bench.bodies import Q1
from tests.factories import Item
from tests.support import count_statements

TESTS = Path(__file__).resolve().parents[2]
_VARIABLES = re.compile(r"\$(\w+)\s*:\s*(\w+)")
_AVAILABLE = re.compile(rb'"currentlyAvailable":[0-9.]+')

ORDER_SCALARS = (
    "id orderNumber orderName externalId orderPlacedAt email currency totalOrderPrice "
    "subTotalPrice shippingPrice discountPrice weight userAgent expectedNumberOfShipments "
    "state cancelledAt cancelReason createdAt updatedAt"
)
SHIPMENT_SCALARS = (
    "id position isDraft trackingNumber trackingUrl trackingPlacedAt trackingCompany "
    "externalShipmentId phase direction delayed damaged failedAttempts lastEventAt "
    "deliveredAt createdAt updatedAt"
)
EVENT_SCALARS = (
    "id sequence ref eventName eventGroup occurredAt recordedAt externalId location message"
)


def suite_documents() -> list[str]:
    """Module-level read documents of the test suite that read orders."""
    found = []
    for path in sorted(TESTS.rglob("test_*.py")):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Constant):
                continue
            text = node.value.value
            if isinstance(text, str) and text.strip().startswith(("query", "{")):
                if "order" in text and "subscription" not in text:
                    found.append(text)
    return found


def generated_documents() -> list[str]:
    """Variations of the tracking page: subsets, aliases, literals, refused shapes."""
    full = (
        f"{ORDER_SCALARS} shipments {{ {SHIPMENT_SCALARS} events {{ {EVENT_SCALARS} }} "
        "products { sku title quantity } }"
    )
    bodies = [
        full,
        "orderNumber",
        "id state shipments { trackingNumber }",
        "shipments { events { eventName occurredAt } }",
        "shipments { products { quantity sku } phase }",
        "n: orderNumber s: shipments { t: trackingNumber e: events { x: eventName } } "
        "total: totalOrderPrice",
        "shipments { trackingNumber } state shipments2: shipments { phase }",
        "__typename orderNumber",
        "...on Order { orderNumber }",
        "orderNumber @include(if: true)",
        "orderNumber trackingUrl",
        "shipments { carrier { reference } }",
        "products { sku }",
        "orderNumber orderNumber",
    ]
    documents = [
        f"query ($number: String) {{ order(orderNumber: $number) {{ {b} }} }}" for b in bodies
    ]
    documents += [
        'query { order(orderNumber: "1001") { orderNumber shipments { id } } }',
        'query { o: order(orderNumber: "404") { orderNumber } }',
        'query ($number: String!) { order(orderNumber: $number, externalId: "x") { id } }',
        "query ($number: String) { order(orderNumber: $number) { id } shop { slug } }",
    ]
    return documents


# The events and package contents of Q1 (and of each order of Q2), by their shipments.
Q1_LISTS = [
    "SELECT events.shipment_id, events.event_name, events.occurred_at, events.location, "
    "events.sequence \nFROM events",
    "SELECT shipment_items.shipment_id, shipment_items.sku, line_items.sku AS sku_1, "
    "line_items.title, shipment_items.quantity \nFROM shipment_items "
    "JOIN line_items ON line_items.id = shipment_items.line_item_id",
]
DOCUMENTS = [Q1, *suite_documents(), *generated_documents()]
# Q1 and eight generated documents have a plan (suite documents may add more); each runs
# for 3 numbers and 4 callers (anonymous callers fall back to get their 401).
COMPILED_ANSWERS = 9 * 3 * 4


def variables_for(document: str, number: str) -> dict[str, object]:
    """Values for a document's variables: the order number for strings, 10 for ints."""
    values: dict[str, object] = {}
    for name, type_name in _VARIABLES.findall(document):
        if type_name == "String":
            values[name] = number
        elif type_name == "Int":
            values[name] = 10
    return values


async def _orders(factory):  # type: ignore[no-untyped-def]
    shop = await factory.shop("acme")
    first = await factory.order(
        shop,
        "1001",
        external_id="ext-1001",
        email="ada@example.com",
        products=[
            Item("MUG", "Mug", 2, "12.50"),
            Item("BOX", "Gift box", 1, "30.00", parts=[Item("TEA", "Tea"), Item("CUP", "Cup")]),
        ],
        expected_shipments=3,
    )
    parcel = await factory.shipment(
        first, tracking_number="00340434", carrier="dhl", contents=[("MUG", 2)]
    )
    await factory.shipment(first, tracking_number="1Z999", carrier="ups", contents=[("BOX", 1)])
    await factory.shipment(first, direction=Direction.CUSTOMER_MERCHANT)  # a draft return
    await factory.events(
        parcel, "DEPARTURE_FROM_TRANSPORT_HUB", "OUT_FOR_DELIVERY", "SUCCESSFULLY_DELIVERED"
    )
    second = await factory.order(shop, "1002", total="99.90", expected_shipments=1)
    await factory.shipment(second, tracking_number="JJD01", contents=[("SKU-1", 1)])
    return first, second


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    """A budget no comparison runs out of: a THROTTLED answer would compare nothing."""
    return {"rate_limit_capacity": 10_000_000}


@pytest.fixture
async def callers(shop, viewer, factory):  # type: ignore[no-untyped-def]
    first, second = await _orders(factory)
    return {
        "admin": shop,
        "viewer": viewer,
        "token-own": shop.as_(await factory.token(first)),
        "token-other": shop.as_(await factory.token(second)),
        "anonymous": shop.as_(None),
    }


async def _both(caller, document: str, variables: dict[str, object], monkeypatch):  # type: ignore[no-untyped-def]
    answers = []
    for enabled in (True, False):
        monkeypatch.setattr(Switch, "enabled", enabled)
        response = await caller.post(document, variables)
        # The bucket's level moves with every request (both are charged): everything
        # else, the requested and actual cost included, must be the same bytes.
        body = _AVAILABLE.sub(b'"currentlyAvailable":_', response.content)
        answers.append((response.status_code, response.headers.get("www-authenticate"), body))
    return answers


async def test_compiled_and_normal_answers_are_identical(callers, monkeypatch) -> None:
    # given two orders (parcels, a draft return, events, bundles) and five callers
    compared = 0
    served = Switch.served
    for (name, caller), document, number in itertools.product(
        callers.items(), DOCUMENTS, ("1001", "1002", "404")
    ):
        # when each document runs through both paths
        compiled, normal = await _both(
            caller, document, variables_for(document, number), monkeypatch
        )
        # then the answers are the same bytes
        assert compiled == normal, (name, number, document)
        compared += 1
    # and the comparison covered the compiled path, not only its fallbacks
    assert len(DOCUMENTS) >= 42
    assert compared == len(DOCUMENTS) * 15
    assert Switch.served - served >= COMPILED_ANSWERS


async def test_q1_takes_the_compiled_path_selecting_only_its_columns(
    callers, db, monkeypatch
) -> None:
    # given the benchmark's Q1 and a shape the compiled path does not serve
    before = Switch.served
    # when Q1 runs
    with count_statements(db) as counted:
        body = await callers["admin"].data(Q1, {"number": "1001"})
    # then it was compiled: one statement each for order, shipments, events and contents,
    # each selecting only the columns Q1 shows
    assert Switch.served == before + 1
    assert body["order"]["orderNumber"] == "1001"
    assert "FROM shops JOIN api_keys" in counted.statements[0]  # authentication
    reads = [statement.split(" \nWHERE")[0] for statement in counted.statements[1:]]
    assert reads == [
        "SELECT orders.id, orders.order_number, orders.state, orders.order_placed_at, "
        "orders.total_order_price, orders.currency \nFROM orders",
        "SELECT shipments.id, shipments.tracking_number, shipments.phase, "
        "shipments.tracking_company \nFROM shipments",
        *Q1_LISTS,
    ]
    # and a fragment spread runs through normal execution
    fragment = "query ($n: String) { order(orderNumber: $n) { ...on Order { orderNumber } } }"
    assert await callers["admin"].data(fragment, {"n": "1001"}) == {
        "order": {"orderNumber": "1001"}
    }
    assert Switch.served == before + 1


async def test_an_unknown_number_is_null_on_the_compiled_path(callers, db) -> None:
    # given a number no order of this shop has
    before = Switch.served
    # when Q1 asks for it, and a token asks for another order than its own
    unknown = await callers["admin"].data(Q1, {"number": "404"})
    other = await callers["token-own"].data(Q1, {"number": "1002"})
    # then both are null, answered by the compiled path
    assert unknown == {"order": None}
    assert other == {"order": None}
    assert Switch.served == before + 2


async def test_a_failing_compiled_read_is_answered_by_normal_execution(
    callers, monkeypatch, caplog
) -> None:
    # given a compiled read that fails unexpectedly
    from parcelgraph.resolvers.orders import compiled_reads

    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("connection lost")

    monkeypatch.setattr(compiled_reads, "order_by_number", broken)
    before = Switch.served

    # when Q1 runs, then normal execution answers it and the failure is logged
    body = await callers["admin"].data(Q1, {"number": "1001"})
    assert body["order"]["orderNumber"] == "1001"
    assert Switch.served == before
    assert "compiled read failed, answered by normal execution" in caplog.text
