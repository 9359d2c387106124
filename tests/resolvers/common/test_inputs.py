"""The use cases' input models: one validation, one mapping to field paths and codes."""

from datetime import datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from parcelgraph.domain.errors import Issue
from parcelgraph.resolvers.claims.inputs import ClaimInput
from parcelgraph.resolvers.common.inputs import in_field_order, issues_of, problems
from parcelgraph.resolvers.events.inputs import AppendInput
from parcelgraph.resolvers.orders.inputs import OrderInput, TrackingInput, UpsertInput
from parcelgraph.resolvers.webhooks.inputs import WebhookChanges, WebhookInput

BAD_ORDER = {
    "orderNumber": "1001",
    "email": "not-an-email",
    "currency": "EURO",
    "totalOrderPrice": "-1",
    "address": {"zipCode": "ABC", "countryCode": "de", "provinceCode": "ZZ"},
    "products": [{"title": " ", "quantity": 0, "images": [{"src": "ftp://x/1.png"}]}],
}
EXPECTED = [
    ("INVALID_EMAIL", ("order", "email")),
    ("CURRENCY_INVALID", ("order", "currency")),
    ("VALUE_OUT_OF_RANGE", ("order", "totalOrderPrice")),
    ("ZIP_CODE_INVALID", ("order", "address", "zipCode")),
    ("PROVINCE_CODE_INVALID", ("order", "address", "provinceCode")),
    ("REQUIRED", ("order", "products", 0, "title")),
    ("VALUE_OUT_OF_RANGE", ("order", "products", 0, "quantity")),
    ("INVALID_URL", ("order", "products", 0, "images", 0, "src")),
]


def test_a_validated_build_reports_camel_case_paths_and_api_codes():
    with pytest.raises(ValidationError) as caught:
        OrderInput.model_validate(BAD_ORDER)

    issues = issues_of(caught.value, ("order",))

    assert [(i.code, i.field) for i in issues] == EXPECTED
    assert issues[2].message == "The amount must not be negative."


def test_an_unchecked_build_reports_the_same_problems_once():
    order = OrderInput.unchecked({"order_number": "1001", "email": "not-an-email"})

    assert [(i.code, i.field) for i in problems(order, ("order",))] == [EXPECTED[0]]


def test_a_passing_unchecked_model_takes_the_validated_values():
    order = OrderInput.unchecked({"address": {"zip_code": "80331", "country_code": " de"}})

    assert problems(order) == []
    assert order.address is not None and order.address.country_code == "DE"
    assert problems(order) == []  # validated once; nothing left to check


def test_models_take_snake_case_names_and_camel_case_aliases_alike():
    by_name = TrackingInput(tracking_number="T1", carrier_reference="dhl")
    by_alias = TrackingInput.model_validate({"trackingNumber": "T1", "carrierReference": "dhl"})

    assert by_name == by_alias
    assert UpsertInput.model_json_schema()["properties"]["idType"]["default"] == "ORDER_NUMBER"


def test_unknown_carriers_and_overlong_lists_keep_their_codes():
    with pytest.raises(ValidationError) as tracking:
        TrackingInput(tracking_number="T1", carrier_reference="nope")
    with pytest.raises(ValidationError) as claim:
        ClaimInput(reason="DAMAGE", image_urls=["https://img.example/a.png"] * 21)

    assert [(i.code, i.field) for i in issues_of(tracking.value)] == [
        ("CARRIER_REFERENCE_INVALID", ("carrierReference",))
    ]
    assert [(i.code, i.field, i.message) for i in issues_of(claim.value)] == [
        ("VALUE_OUT_OF_RANGE", ("imageUrls",), "At most 20 images.")
    ]


def test_money_is_a_decimal_with_at_most_four_places():
    with pytest.raises(ValidationError) as caught:
        OrderInput(total_order_price=Decimal("1.00001"))

    assert [(i.code, i.message) for i in issues_of(caught.value)] == [
        ("VALUE_OUT_OF_RANGE", "The amount has more than 4 decimal places.")
    ]


def test_an_unknown_key_keeps_the_spelling_the_client_sent():
    with pytest.raises(ValidationError) as caught:
        TrackingInput.model_validate({"trackingNumber": "T1", "carrier_ref": "dhl"})

    assert [(i.code, i.field) for i in issues_of(caught.value)] == [
        ("INVALID_INPUT", ("carrier_ref",))
    ]


def test_issues_are_put_in_the_order_the_model_declares_its_fields():
    late = Issue("VALUE_OUT_OF_RANGE", "too late", ("occurredAt",))
    name = Issue("UNKNOWN_EVENT_NAME", "no such event", ("eventName",))
    whole = Issue("INVALID_INPUT", "one of two", ())
    long = Issue("VALUE_TOO_LONG", "too long", ("externalId",))

    ordered = in_field_order(AppendInput, [long, late, name, whole])

    assert ordered == [whole, name, late, long]


def test_the_append_input_reports_every_field_problem_with_its_code():
    naive = datetime(2026, 11, 23, 12, 0)  # no offset
    data = AppendInput.unchecked(
        {
            "event_name": "TELEPORTED",
            "occurred_at": naive,
            "external_id": "  ",
            "message": "m" * 5001,
        }
    )

    assert [(i.code, i.field) for i in problems(data)] == [
        ("UNKNOWN_EVENT_NAME", ("eventName",)),
        ("INVALID_INPUT", ("occurredAt",)),
        ("INVALID_INPUT", ("externalId",)),
        ("VALUE_TOO_LONG", ("message",)),
    ]


def test_webhook_inputs_check_each_enabled_event_and_strip_the_url():
    with pytest.raises(ValidationError) as unknown:
        WebhookInput(url="https://a.example", enabled_events=["*", "nope", "shipments/x", "nope"])
    with pytest.raises(ValidationError) as too_many:
        WebhookChanges(enabled_events=["nope"] * 101)

    assert [(i.code, i.field) for i in issues_of(unknown.value)] == [
        ("ENABLED_EVENT_UNKNOWN", ("enabledEvents", 1)),
        ("ENABLED_EVENT_UNKNOWN", ("enabledEvents", 2)),
        ("ENABLED_EVENT_UNKNOWN", ("enabledEvents", 3)),
    ]
    assert [(i.code, i.field, i.message) for i in issues_of(too_many.value)] == [
        ("VALUE_OUT_OF_RANGE", ("enabledEvents",), "At most 100 entries.")
    ]
    assert WebhookInput(url="  https://a.example/hook ").url == "https://a.example/hook"
