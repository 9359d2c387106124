"""The address model: lengths and the country code by library types, zip formats and
provinces by the postal rules, every problem of an address reported together."""

import pytest
from pydantic import ValidationError

from parcelgraph.resolvers.common.inputs import issues_of
from parcelgraph.resolvers.orders.inputs import AddressInput, address_json

GOOD_ADDRESS = {
    "name": "Erika Mustermann",
    "addressLine1": "Leopoldstraße 1",
    "city": "München",
    "zipCode": "80802",
    "provinceCode": "BY",
    "countryCode": "DE",
}


def codes(data: dict[str, str]) -> list[tuple[tuple[str | int, ...], str]]:
    try:
        AddressInput.model_validate(data)
    except ValidationError as error:
        return [(issue.field, issue.code) for issue in issues_of(error)]
    return []


def test_a_complete_german_address_has_no_problems():
    assert codes(GOOD_ADDRESS) == []


def test_the_full_iso_3166_2_form_of_a_province_is_accepted():
    assert codes({**GOOD_ADDRESS, "provinceCode": "DE-BY"}) == []


def test_a_zip_code_is_always_required():
    address = {k: v for k, v in GOOD_ADDRESS.items() if k != "zipCode"}

    assert codes(address) == [(("zipCode",), "ZIP_CODE_INVALID")]
    assert codes({**GOOD_ADDRESS, "zipCode": "  "}) == [(("zipCode",), "ZIP_CODE_INVALID")]


@pytest.mark.parametrize(
    ("country", "zip_code", "valid"),
    [("DE", "80802", True), ("DE", "8080", False), ("NL", "1012ab", True), ("BR", "!!", False)],
)
def test_zip_codes_follow_the_country_format(country, zip_code, valid):
    problems = codes({"countryCode": country, "zipCode": zip_code})

    assert problems == ([] if valid else [(("zipCode",), "ZIP_CODE_INVALID")])


def test_an_unknown_country_code_is_reported_and_its_province_is_not_checked():
    assert codes({**GOOD_ADDRESS, "countryCode": "XX"}) == [
        (("countryCode",), "COUNTRY_CODE_INVALID")
    ]


@pytest.mark.parametrize("country", ["DEU", "Germany", "D", "1D"])
def test_only_alpha_2_country_codes_are_accepted(country):
    assert codes({"countryCode": country, "zipCode": "12345"}) == [
        (("countryCode",), "COUNTRY_CODE_INVALID")
    ]


@pytest.mark.parametrize("province", ["CA", "AT-9", "XX", "DE-", "B Y"])
def test_a_province_outside_the_country_is_reported(province):
    assert codes({**GOOD_ADDRESS, "provinceCode": province}) == [
        (("provinceCode",), "PROVINCE_CODE_INVALID")
    ]


def test_a_province_without_a_country_cannot_be_accepted():
    assert codes({"zipCode": "80802", "provinceCode": "BY"}) == [
        (("provinceCode",), "PROVINCE_CODE_INVALID")
    ]


def test_all_problems_of_an_address_are_reported_together():
    address = {
        "name": "x" * 256,
        "phone": "1" * 65,
        "zipCode": "1",
        "countryCode": "US",
        "provinceCode": "BY",
    }

    assert codes(address) == [
        (("name",), "VALUE_TOO_LONG"),
        (("phone",), "VALUE_TOO_LONG"),
        (("zipCode",), "ZIP_CODE_INVALID"),
        (("provinceCode",), "PROVINCE_CODE_INVALID"),
    ]


def test_snake_case_names_are_read_like_the_api_names():
    assert codes({"zip_code": "1010", "country_code": "AT", "province_code": "AT-9"}) == []
    assert codes({"country_code": "ZZ"}) == [
        (("countryCode",), "COUNTRY_CODE_INVALID"),
        (("zipCode",), "ZIP_CODE_INVALID"),
    ]


def test_the_stored_address_has_upper_case_codes_and_the_short_province():
    address = AddressInput.model_validate(
        {"zipCode": "80802", "countryCode": " de ", "provinceCode": "de-by"}
    )

    stored = address_json(address)

    assert (stored["country_code"], stored["province_code"]) == ("DE", "BY")
    assert type(stored["country_code"]) is str
