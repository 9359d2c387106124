"""Postal rules: zip formats per country and provinces of a country, paths relative to the
value, no exceptions. The models apply them (tests/resolvers/orders/test_address_input.py)."""

import pytest

from parcelgraph.domain.validation import (
    Problem,
    normalize_province_code,
    province_problems,
    zip_problems,
)


def codes(problems: list[Problem]) -> list[tuple[tuple[str | int, ...], str]]:
    return [(p.field, p.code) for p in problems]


def test_a_missing_zip_is_reported_only_when_required():
    assert codes(zip_problems(None, "DE", require_zip=True)) == [(("zipCode",), "ZIP_CODE_INVALID")]
    assert zip_problems(None, "DE", require_zip=False) == []


def test_a_blank_zip_counts_as_missing():
    assert codes(zip_problems("  ", "DE", require_zip=True)) == [(("zipCode",), "ZIP_CODE_INVALID")]


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
        (None, "80802", True),  # no (valid) country: the generic pattern applies
    ],
)
def test_zip_codes_follow_the_country_format(country, zip_code, valid):
    problems = zip_problems(zip_code, country, require_zip=True)

    assert codes(problems) == ([] if valid else [(("zipCode",), "ZIP_CODE_INVALID")])


def test_the_zip_message_names_the_country_whose_format_it_breaks():
    assert zip_problems("8080", "DE", True)[0].message == (
        "'8080' is not a valid zip code for country DE."
    )
    assert zip_problems("!!", "BR", True)[0].message == "'!!' is not a valid zip code."


@pytest.mark.parametrize("province", ["BY", "DE-BY", "by", " de-by "])
def test_a_province_of_the_country_passes_in_its_short_or_full_form(province):
    assert province_problems("DE", province) == []


@pytest.mark.parametrize("province", ["CA", "AT-9", "XX", "DE-", "B Y"])
def test_a_province_outside_the_country_is_reported(province):
    problems = province_problems("DE", province)

    assert codes(problems) == [(("provinceCode",), "PROVINCE_CODE_INVALID")]
    assert problems[0].message == f"{province!r} is not an ISO 3166-2 subdivision of DE."


def test_a_province_without_a_country_cannot_be_accepted():
    assert province_problems(None, "BY") == [
        Problem(
            ("provinceCode",),
            "PROVINCE_CODE_INVALID",
            "A province code needs a countryCode to be checked against.",
        )
    ]
    assert province_problems(None, None) == []


def test_normalize_province_code_returns_the_short_form():
    assert normalize_province_code("DE", "de-by") == "BY"
    assert normalize_province_code("us", "CA") == "CA"
    assert normalize_province_code("DE", "CA") is None
    assert normalize_province_code("XX", "BY") is None
    assert normalize_province_code("DE", None) is None


def test_problems_are_immutable_values():
    problem = Problem(("zipCode",), "ZIP_CODE_INVALID", "m")

    assert problem == Problem(("zipCode",), "ZIP_CODE_INVALID", "m")
    with pytest.raises(AttributeError):
        problem.code = "OTHER"  # type: ignore[misc]
