"""Field types of the input models: money, currencies, counts, lengths, e-mail and URLs,
each with the API's machine code and the path it is checked under."""

from decimal import Decimal

import pytest

from parcelgraph.domain.errors import Issue
from parcelgraph.resolvers.common.fields import (
    MAX_MONEY,
    Count,
    CurrencyCode,
    Email,
    Money,
    Text,
    Url,
    currency_code,
)
from parcelgraph.resolvers.common.inputs import check


def codes(issues: list[Issue]) -> list[tuple[tuple[str | int, ...], str]]:
    return [(i.field, i.code) for i in issues]


# --- currency and money ------------------------------------------------------------------


def test_currencies_are_iso_4217_codes():
    assert check(CurrencyCode, "EUR", ("currency",)) == []
    assert check(CurrencyCode, "chf", ("currency",)) == []
    assert check(CurrencyCode, None, ("currency",)) == []
    assert codes(check(CurrencyCode, "EURO", ("currency",))) == [
        (("currency",), "CURRENCY_INVALID")
    ]
    assert codes(check(CurrencyCode, "ABC", ("order", "currency"))) == [
        (("order", "currency"), "CURRENCY_INVALID")
    ]


def test_test_and_metal_codes_are_not_shop_currencies():
    assert currency_code("XTS") is None
    assert currency_code("XAU") is None
    assert currency_code(" usd") == "USD"
    assert codes(check(CurrencyCode, "XTS", ("currency",))) == [(("currency",), "CURRENCY_INVALID")]


@pytest.mark.parametrize(
    "amount", [Decimal("0"), Decimal("19.99"), Decimal("0.0001"), Decimal("1.50000"), 7, MAX_MONEY]
)
def test_acceptable_amounts(amount):
    assert check(Money, amount, ("price",)) == []


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
    assert check(Money, amount, ("products", 2, "price")) == [
        Issue("VALUE_OUT_OF_RANGE", message, ("products", 2, "price"))
    ]


def test_int_range_and_length():
    assert check(Count(1, 100), 1, ("expectedNumberOfShipments",)) == []
    assert check(Count(1, 100), 100, ("n",)) == []
    assert check(Count(1, 100), 101, ("n",)) == [
        Issue("VALUE_OUT_OF_RANGE", "Must be between 1 and 100.", ("n",))
    ]
    assert check(Count(1), 0, ("n",)) == [
        Issue("VALUE_OUT_OF_RANGE", "Must be between 1 and ∞.", ("n",))
    ]
    assert check(Text(3), "abc", ("t",)) == []
    assert check(Text(3), "abcd", ("t",)) == [
        Issue("VALUE_TOO_LONG", "At most 3 characters (got 4).", ("t",))
    ]


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
    assert check(Email, email, ("email",)) == []


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
    assert check(Email, email, ("order", "email")) == [
        Issue("INVALID_EMAIL", f"{email!r} is not a valid e-mail address.", ("order", "email"))
    ]


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
    assert check(Url, url, ("src",)) == []


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
    assert codes(check(Url, url, ("images", 0, "src"))) == [(("images", 0, "src"), "INVALID_URL")]


def test_an_overlong_url_is_too_long_rather_than_invalid():
    url = "https://example.com/" + "a" * 2100

    assert check(Url, url, ("src",)) == [
        Issue("VALUE_TOO_LONG", f"At most 2048 characters (got {len(url)}).", ("src",))
    ]
    assert check(Url, None, ("src",)) == []
