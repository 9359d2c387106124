"""Pure input validators for addresses, money, currencies, e-mails and URLs.

Each validator takes plain data and returns a list of `Problem`s; an empty list means the
value is acceptable. Nothing here raises for bad input, touches a database or knows about
GraphQL: the schema layer turns each Problem into a UserError, prefixing the field path
with where the validated value sits in its input (`["input", "order", "address"] + field`).

Field paths use the public (camelCase) names of the API, so a path can be shown to a
client as it is. Codes are the exact strings of the API's error-code enum.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import email_validator
import pycountry
from pydantic import HttpUrl, TypeAdapter, ValidationError

ZIP_CODE_INVALID = "ZIP_CODE_INVALID"
COUNTRY_CODE_INVALID = "COUNTRY_CODE_INVALID"
PROVINCE_CODE_INVALID = "PROVINCE_CODE_INVALID"
CURRENCY_INVALID = "CURRENCY_INVALID"
INVALID_URL = "INVALID_URL"
INVALID_EMAIL = "INVALID_EMAIL"
VALUE_OUT_OF_RANGE = "VALUE_OUT_OF_RANGE"
VALUE_TOO_LONG = "VALUE_TOO_LONG"

Path = tuple[str | int, ...]

MAX_TEXT_LENGTH = 255
MAX_PHONE_LENGTH = 64
MAX_URL_LENGTH = 2048
MONEY_DECIMAL_PLACES = 4
# Fits NUMERIC(16, 4) on PostgreSQL and leaves room for sums of many lines.
MAX_MONEY = Decimal("999999999999.9999")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where (path relative to the validated value), what, why."""

    field: Path
    code: str
    message: str


# --- addresses ------------------------------------------------------------------------

# Free-text address fields and their length limits (public names).
_ADDRESS_TEXT_LIMITS: dict[str, int] = {
    "name": MAX_TEXT_LENGTH,
    "company": MAX_TEXT_LENGTH,
    "addressLine1": MAX_TEXT_LENGTH,
    "addressLine2": MAX_TEXT_LENGTH,
    "street": MAX_TEXT_LENGTH,
    "city": MAX_TEXT_LENGTH,
    "province": MAX_TEXT_LENGTH,
    "country": MAX_TEXT_LENGTH,
    "phone": MAX_PHONE_LENGTH,
}

# Known national formats; other countries get the permissive generic pattern, because a
# false rejection blocks a real order while a missed typo only delays one parcel.
_ZIP_FORMATS: dict[str, re.Pattern[str]] = {
    code: re.compile(pattern, re.IGNORECASE)
    for code, pattern in {
        "DE": r"\d{5}",
        "AT": r"\d{4}",
        "CH": r"\d{4}",
        "BE": r"\d{4}",
        "DK": r"\d{4}",
        "NO": r"\d{4}",
        "FR": r"\d{5}",
        "IT": r"\d{5}",
        "ES": r"\d{5}",
        "FI": r"\d{5}",
        "NL": r"\d{4} ?[A-Z]{2}",
        "PL": r"\d{2}-\d{3}",
        "PT": r"\d{4}-\d{3}",
        "SE": r"\d{3} ?\d{2}",
        "US": r"\d{5}(?:-\d{4})?",
        "CA": r"[A-Z]\d[A-Z] ?\d[A-Z]\d",
        "GB": r"(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|GIR ?0AA)",
    }.items()
}
_GENERIC_ZIP = re.compile(r"[A-Z0-9][A-Z0-9 -]{1,9}", re.IGNORECASE)


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _get(source: Any, name: str) -> str | None:
    """Read a field by its public or snake_case name from a mapping or an object.

    None, a missing key and falsy non-string sentinels (an "unset" marker) all mean absent.
    """
    for key in (name, _snake(name)):
        if isinstance(source, Mapping):
            value = source.get(key)
        else:
            value = getattr(source, key, None)
        if value is None or (not isinstance(value, str) and not value):
            continue
        return value if isinstance(value, str) else str(value)
    return None


def normalize_country_code(value: str | None) -> str | None:
    """The upper-case ISO 3166-1 alpha-2 code for `value` ("de" → "DE"), or None if invalid."""
    if value is None:
        return None
    code = value.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return None
    return code if pycountry.countries.get(alpha_2=code) is not None else None


def normalize_province_code(country_code: str | None, province_code: str | None) -> str | None:
    """The subdivision part of an ISO 3166-2 code, upper-case, or None if not in that country.

    Accepts both the short ("BY") and the full ("DE-BY") form and returns the short one,
    which is what shop systems send alongside the country code.
    """
    country = normalize_country_code(country_code)
    if country is None or province_code is None:
        return None
    code = province_code.strip().upper()
    if code.startswith(f"{country}-"):
        code = code[len(country) + 1 :]
    if not code or not re.fullmatch(r"[A-Z0-9]{1,3}", code):
        return None
    found = pycountry.subdivisions.get(code=f"{country}-{code}")
    return code if found is not None else None


def zip_problems(zip_code: str | None, country: str | None, require_zip: bool) -> list[Problem]:
    if zip_code is None or not zip_code.strip():
        if require_zip:
            return [Problem(("zipCode",), ZIP_CODE_INVALID, "A zip code is required.")]
        return []
    pattern = _ZIP_FORMATS.get(country or "", _GENERIC_ZIP)
    if pattern.fullmatch(zip_code.strip()):
        return []
    where = f" for country {country}" if country in _ZIP_FORMATS else ""
    return [
        Problem(("zipCode",), ZIP_CODE_INVALID, f"{zip_code!r} is not a valid zip code{where}.")
    ]


def region_problems(country_raw: str | None, province_raw: str | None) -> list[Problem]:
    problems: list[Problem] = []
    country = normalize_country_code(country_raw)
    if country_raw is not None and country is None:
        problems.append(
            Problem(
                ("countryCode",),
                COUNTRY_CODE_INVALID,
                f"{country_raw!r} is not an ISO 3166-1 alpha-2 country code.",
            )
        )
    if province_raw is None:
        return problems
    if country_raw is None:
        problems.append(
            Problem(
                ("provinceCode",),
                PROVINCE_CODE_INVALID,
                "A province code needs a countryCode to be checked against.",
            )
        )
    elif country is not None and normalize_province_code(country, province_raw) is None:
        problems.append(
            Problem(
                ("provinceCode",),
                PROVINCE_CODE_INVALID,
                f"{province_raw!r} is not an ISO 3166-2 subdivision of {country}.",
            )
        )
    # An invalid country was reported above; checking its province would only add noise.
    return problems


def validate_length(value: str | None, field: Path, max_length: int) -> list[Problem]:
    """VALUE_TOO_LONG when `value` has more than `max_length` characters."""
    if value is None or len(value) <= max_length:
        return []
    return [Problem(field, VALUE_TOO_LONG, f"At most {max_length} characters (got {len(value)}).")]


def validate_address(address: Any, require_zip: bool) -> list[Problem]:
    """Every problem of an address given as a mapping or an object (camelCase or snake_case).

    `require_zip` is True when an order is placed. A province code is checked
    against the country code; both "BY" and "DE-BY" are accepted.
    """
    problems: list[Problem] = []
    for name, limit in _ADDRESS_TEXT_LIMITS.items():
        problems += validate_length(_get(address, name), (name,), limit)
    country_raw = _get(address, "countryCode")
    problems += zip_problems(
        _get(address, "zipCode"), normalize_country_code(country_raw), require_zip
    )
    problems += region_problems(country_raw, _get(address, "provinceCode"))
    return problems


# --- currency and money ---------------------------------------------------------------

# ISO 4217 codes that are funds, metals or test codes, never the currency of a shop.
_NOT_TENDER = frozenset(
    {"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"}
)


def normalize_currency(value: str | None) -> str | None:
    """The upper-case ISO 4217 code for `value` ("eur" → "EUR"), or None if not a currency."""
    if value is None:
        return None
    code = value.strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha() or code in _NOT_TENDER:
        return None
    return code if pycountry.currencies.get(alpha_3=code) is not None else None


def validate_currency(value: str | None, field: Path = ("currency",)) -> list[Problem]:
    """CURRENCY_INVALID unless `value` is an ISO 4217 currency code. None is accepted."""
    if value is None or normalize_currency(value) is not None:
        return []
    return [Problem(field, CURRENCY_INVALID, f"{value!r} is not an ISO 4217 currency code.")]


def validate_money(
    amount: Decimal | int, field: Path, allow_negative: bool = False
) -> list[Problem]:
    """VALUE_OUT_OF_RANGE unless `amount` is finite, within ±MAX_MONEY, has at most four
    decimal places, and is not negative (unless `allow_negative`).

    Floats are refused with TypeError: money must never pass through binary floating point.
    """
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"money must be Decimal or int, not {type(amount).__name__}")
    value = Decimal(amount)
    if not value.is_finite():
        return [Problem(field, VALUE_OUT_OF_RANGE, "The amount must be a finite number.")]
    if value < 0 and not allow_negative:
        return [Problem(field, VALUE_OUT_OF_RANGE, "The amount must not be negative.")]
    if abs(value) > MAX_MONEY:
        return [Problem(field, VALUE_OUT_OF_RANGE, f"The amount must be at most {MAX_MONEY}.")]
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MONEY_DECIMAL_PLACES:
        return [
            Problem(
                field,
                VALUE_OUT_OF_RANGE,
                f"The amount has more than {MONEY_DECIMAL_PLACES} decimal places.",
            )
        ]
    return []


def validate_int_range(
    value: int | None, field: Path, minimum: int | None = None, maximum: int | None = None
) -> list[Problem]:
    """VALUE_OUT_OF_RANGE when `value` lies outside [minimum, maximum] (either bound optional)."""
    if value is None:
        return []
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        low = "-∞" if minimum is None else str(minimum)
        high = "∞" if maximum is None else str(maximum)
        return [Problem(field, VALUE_OUT_OF_RANGE, f"Must be between {low} and {high}.")]
    return []


# --- e-mail and URLs ------------------------------------------------------------------

_DNS_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TLD = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")
_HTTP_URL: TypeAdapter[HttpUrl] = TypeAdapter(HttpUrl)


def validate_email(value: str | None, field: Path = ("email",)) -> list[Problem]:
    """INVALID_EMAIL unless `email-validator` accepts `value` (syntax only, no DNS lookup)
    and its top-level label is alphabetic (or punycode) with at least two letters. None is
    accepted (absent); an empty string is not.
    """
    if value is None:
        return []
    try:
        parsed = email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError:
        parsed = None
    # The library allows a one-letter top level and a 65+ character local part (RFC 5321
    # caps it at 64); mail to either never arrives.
    tld = parsed.ascii_domain.rsplit(".", 1)[-1].lower() if parsed else ""
    if parsed and len(parsed.local_part) <= 64 and _TLD.fullmatch(tld):
        return []
    return [Problem(field, INVALID_EMAIL, f"{value!r} is not a valid e-mail address.")]


def _is_valid_host(host: str) -> bool:
    if host.startswith("[") or ":" in host:
        return True  # an IPv6 literal; the URL parser already checked it
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    return all(_DNS_LABEL.fullmatch(label) for label in labels)


def validate_http_url(
    value: str | None, field: Path = ("src",), max_length: int = MAX_URL_LENGTH
) -> list[Problem]:
    """INVALID_URL unless pydantic's `HttpUrl` accepts `value` as an absolute http(s) URL
    whose host is a DNS name (no underscores) or an IP literal, with no whitespace or control
    characters (public images, tracking links); VALUE_TOO_LONG above `max_length`. None is
    accepted (absent).
    """
    if value is None:
        return []
    if len(value) > max_length:
        return validate_length(value, field, max_length)
    invalid = [Problem(field, INVALID_URL, f"{value!r} is not an absolute http(s) URL.")]
    if not value or any(char.isspace() or ord(char) < 32 for char in value):
        return invalid
    try:
        url = _HTTP_URL.validate_python(value)
    except ValidationError:
        return invalid
    return [] if url.host and _is_valid_host(url.host) else invalid
