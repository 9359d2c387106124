"""The use cases' input models: one validation, one mapping to field paths and codes."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from parcelgraph.resolvers.claims.inputs import ClaimInput
from parcelgraph.resolvers.common.inputs import issues_of, problems
from parcelgraph.resolvers.orders.inputs import OrderInput, TrackingInput, UpsertInput

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
