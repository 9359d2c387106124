"""Input validators: every code, field paths relative to the value, no exceptions."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from parcelgraph.domain.validation import (
    MAX_MONEY,
    Problem,
    normalize_country_code,
    normalize_currency,
    normalize_province_code,
    validate_address,
    validate_currency,
    validate_email,
    validate_http_url,
    validate_int_range,
    validate_length,
    validate_money,
)


def codes(problems: list[Problem]) -> list[tuple[tuple[str | int, ...], str]]:
    return [(p.field, p.code) for p in problems]


GOOD_ADDRESS = {
    "name": "Erika Mustermann",
    "addressLine1": "Leopoldstraße 1",
    "city": "München",
    "zipCode": "80802",
    "provinceCode": "BY",
    "countryCode": "DE",
}


@dataclass
class AddressInput:
    """The shape a GraphQL input object has once unpacked: snake_case attributes."""

    zip_code: str | None = None
    country_code: str | None = None
    province_code: str | None = None
    address_line1: str | None = None


# --- addresses ---------------------------------------------------------------------------


def test_a_complete_german_address_has_no_problems():
    assert validate_address(GOOD_ADDRESS, require_zip=True) == []


def test_the_full_iso_3166_2_form_of_a_province_is_accepted():
    assert validate_address({**GOOD_ADDRESS, "provinceCode": "DE-BY"}, require_zip=True) == []


def test_a_missing_zip_is_reported_only_when_required():
    address = {k: v for k, v in GOOD_ADDRESS.items() if k != "zipCode"}

    assert codes(validate_address(address, require_zip=True)) == [
        (("zipCode",), "ZIP_CODE_INVALID")
    ]
    assert validate_address(address, require_zip=False) == []


def test_a_blank_zip_counts_as_missing():
    problems = validate_address({**GOOD_ADDRESS, "zipCode": "  "}, require_zip=True)

    assert codes(problems) == [(("zipCode",), "ZIP_CODE_INVALID")]


@pytest.mark.parametrize(
    ("country", "zip_code", "valid"),
    [
        ("DE", "80802", True),
        ("DE", "8080", False),
        ("DE", "ABCDE", False),
        ("NL", "1012 AB", True),
        ("NL", "1012ab", True),
        ("GB", "SW1A 1AA", True),
        ("GB", "12345", False),
        ("US", "94105-1234", True),
        ("US", "9410", False),
        ("PL", "00-950", True),
        ("BR", "01310-100", True),  # no national rule: the generic pattern applies
        ("BR", "!!", False),
    ],
)
def test_zip_codes_follow_the_country_format(country, zip_code, valid):
    address = {"countryCode": country, "zipCode": zip_code}

    problems = validate_address(address, require_zip=True)

    assert codes(problems) == ([] if valid else [(("zipCode",), "ZIP_CODE_INVALID")])


def test_an_unknown_country_code_is_reported_and_its_province_is_not_checked():
    problems = validate_address({**GOOD_ADDRESS, "countryCode": "XX"}, require_zip=True)

    assert codes(problems) == [(("countryCode",), "COUNTRY_CODE_INVALID")]
    assert problems[0].message == "'XX' is not an ISO 3166-1 alpha-2 country code."


@pytest.mark.parametrize("country", ["DEU", "Germany", "D", "1D"])
def test_only_alpha_2_country_codes_are_accepted(country):
    problems = validate_address({"countryCode": country}, require_zip=False)

    assert codes(problems) == [(("countryCode",), "COUNTRY_CODE_INVALID")]


@pytest.mark.parametrize("province", ["CA", "AT-9", "XX", "DE-", "B Y"])
def test_a_province_outside_the_country_is_reported(province):
    problems = validate_address({**GOOD_ADDRESS, "provinceCode": province}, require_zip=True)

    assert codes(problems) == [(("provinceCode",), "PROVINCE_CODE_INVALID")]


def test_a_province_without_a_country_cannot_be_accepted():
    problems = validate_address({"zipCode": "80802", "provinceCode": "BY"}, require_zip=True)

    assert codes(problems) == [(("provinceCode",), "PROVINCE_CODE_INVALID")]


def test_all_problems_of_an_address_are_reported_together():
    address = {
        "name": "x" * 256,
        "phone": "1" * 65,
        "zipCode": "1",
        "countryCode": "US",
        "provinceCode": "BY",
    }

    problems = validate_address(address, require_zip=True)

    assert codes(problems) == [
        (("name",), "VALUE_TOO_LONG"),
        (("phone",), "VALUE_TOO_LONG"),
        (("zipCode",), "ZIP_CODE_INVALID"),
        (("provinceCode",), "PROVINCE_CODE_INVALID"),
    ]


def test_an_object_with_snake_case_attributes_is_read_like_a_mapping():
    address = AddressInput(zip_code="1010", country_code="AT", province_code="AT-9")

    assert validate_address(address, require_zip=True) == []
    assert codes(validate_address(AddressInput(country_code="ZZ"), require_zip=True)) == [
        (("zipCode",), "ZIP_CODE_INVALID"),
        (("countryCode",), "COUNTRY_CODE_INVALID"),
    ]


def test_a_falsy_unset_marker_counts_as_absent():
    class Unset:
        def __bool__(self) -> bool:
            return False

    address = AddressInput(zip_code="80802", country_code="DE")
    address.province_code = Unset()  # type: ignore[assignment]

    assert validate_address(address, require_zip=True) == []


def test_normalize_country_code():
    assert normalize_country_code(" de ") == "DE"
    assert normalize_country_code("XX") is None
    assert normalize_country_code(None) is None


def test_normalize_province_code_returns_the_short_form():
    assert normalize_province_code("DE", "de-by") == "BY"
    assert normalize_province_code("us", "CA") == "CA"
    assert normalize_province_code("DE", "CA") is None
    assert normalize_province_code("XX", "BY") is None
    assert normalize_province_code("DE", None) is None


# --- currency and money ------------------------------------------------------------------


def test_currencies_are_iso_4217_codes():
    assert validate_currency("EUR") == []
    assert validate_currency("chf") == []
    assert validate_currency(None) == []
    assert codes(validate_currency("EURO")) == [(("currency",), "CURRENCY_INVALID")]
    assert codes(validate_currency("ABC", ("order", "currency"))) == [
        (("order", "currency"), "CURRENCY_INVALID")
    ]


def test_test_and_metal_codes_are_not_shop_currencies():
    assert normalize_currency("XTS") is None
    assert normalize_currency("XAU") is None
    assert normalize_currency("usd") == "USD"


@pytest.mark.parametrize(
    "amount", [Decimal("0"), Decimal("19.99"), Decimal("0.0001"), Decimal("1.50000"), 7, MAX_MONEY]
)
def test_acceptable_amounts(amount):
    assert validate_money(amount, ("price",)) == []


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("-0.01"), "The amount must not be negative."),
        (Decimal("0.00001"), "The amount has more than 4 decimal places."),
        (MAX_MONEY + Decimal("0.0001"), "The amount must be at most 999999999999.9999."),
        (Decimal("NaN"), "The amount must be a finite number."),
        (Decimal("Infinity"), "The amount must be a finite number."),
    ],
)
def test_unacceptable_amounts(amount, message):
    assert validate_money(amount, ("products", 2, "price")) == [
        Problem(("products", 2, "price"), "VALUE_OUT_OF_RANGE", message)
    ]


def test_negative_amounts_pass_when_allowed():
    assert validate_money(Decimal("-5.00"), ("discountPrice",), allow_negative=True) == []
    assert codes(validate_money(-MAX_MONEY - 1, ("x",), allow_negative=True)) == [
        (("x",), "VALUE_OUT_OF_RANGE")
    ]


def test_a_float_is_a_programming_error_not_an_input_error():
    with pytest.raises(TypeError):
        validate_money(1.5, ("price",))  # type: ignore[arg-type]


def test_int_range_and_length():
    assert validate_int_range(1, ("expectedNumberOfShipments",), 1, 100) == []
    assert validate_int_range(100, ("n",), 1, 100) == []
    assert codes(validate_int_range(101, ("n",), 1, 100)) == [(("n",), "VALUE_OUT_OF_RANGE")]
    assert codes(validate_int_range(0, ("n",), minimum=1)) == [(("n",), "VALUE_OUT_OF_RANGE")]
    assert validate_length("abc", ("t",), 3) == []
    assert codes(validate_length("abcd", ("t",), 3)) == [(("t",), "VALUE_TOO_LONG")]


# --- e-mail and URLs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "erika@example.com",
        "first.last+tag@sub.example.co.uk",
        "o'brien@example.ie",
        "jürgen@bücher.de",
        "x@xn--bcher-kva.de",
    ],
)
def test_plausible_emails_pass(email):
    assert validate_email(email) == []


@pytest.mark.parametrize(
    "email",
    [
        "",
        "plain",
        "@example.com",
        "erika@",
        "erika@example",
        "erika@@example.com",
        "a@b@example.com",
        "erika @example.com",
        ".erika@example.com",
        "er..ika@example.com",
        "erika@exa_mple.com",
        "erika@-example.com",
        "erika@example.c",
        "erika@example.123",
        "x" * 65 + "@example.com",
        "x@" + "a" * 250 + ".com",
    ],
)
def test_implausible_emails_fail(email):
    assert codes(validate_email(email, ("order", "email"))) == [
        (("order", "email"), "INVALID_EMAIL")
    ]


def test_an_absent_email_is_not_validated():
    assert validate_email(None) == []


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.example.com/p/123.jpg",
        "http://example.com",
        "HTTPS://Example.com:8443/a?b=c#d",
        "https://[2001:db8::1]/img.png",
        "https://bücher.de/cover.png",
    ],
)
def test_absolute_http_urls_pass(url):
    assert validate_http_url(url) == []


@pytest.mark.parametrize(
    "url",
    [
        "",
        "/relative/path.jpg",
        "cdn.example.com/p.jpg",
        "ftp://example.com/p.jpg",
        "javascript:alert(1)",
        "data:image/png;base64,AAAA",
        "https://",
        "https://exa mple.com/p.jpg",
        "https://example.com:99999/p.jpg",
        "https://example.com:port/p.jpg",
        "https://exa_mple.com/p.jpg",
        "https://example.com/\nx",
    ],
)
def test_other_urls_fail(url):
    assert codes(validate_http_url(url, ("images", 0, "src"))) == [
        (("images", 0, "src"), "INVALID_URL")
    ]


def test_an_overlong_url_is_too_long_rather_than_invalid():
    url = "https://example.com/" + "a" * 2100

    assert codes(validate_http_url(url)) == [(("src",), "VALUE_TOO_LONG")]
    assert validate_http_url(None) == []


def test_problems_are_immutable_values():
    problem = Problem(("zipCode",), "ZIP_CODE_INVALID", "m")

    assert problem == Problem(("zipCode",), "ZIP_CODE_INVALID", "m")
    with pytest.raises(AttributeError):
        problem.code = "OTHER"  # type: ignore[misc]
