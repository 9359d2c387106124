"""Field types of the input models: each names its rule once, and its error's machine code.

Libraries do what they already do well: pydantic's string and number constraints,
`email-validator` behind `Email`, pydantic's `HttpUrl` behind `Url`, and
`pydantic-extra-types` for country and currency codes. The values stay as the caller sent
them (a URL is not rewritten, a code keeps its spelling) because what is stored and echoed
back must not change; only the verdict comes from the library.
"""

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

import email_validator
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    HttpUrl,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import PydanticCustomError
from pydantic_extra_types.country import CountryAlpha2
from pydantic_extra_types.currency_code import Currency

MAX_TEXT_LENGTH = 255
MAX_PHONE_LENGTH = 64
MAX_URL_LENGTH = 2048
MONEY_DECIMAL_PLACES = 4
# Fits NUMERIC(16, 4) on PostgreSQL and leaves room for sums of many lines.
MAX_MONEY = Decimal("999999999999.9999")


def refuse(code: str, message: str) -> PydanticCustomError:
    """An error whose `type` is the API's machine code (the message is kept verbatim)."""
    return PydanticCustomError(code, "{message}", {"message": message})


def _not_blank(what: str) -> AfterValidator:
    def check(value: str) -> str:
        if not value.strip():
            raise refuse("REQUIRED", f"{what} is required.")
        return value

    return AfterValidator(check)


def _in_range(minimum: int, maximum: int | None) -> AfterValidator:
    # One message for both bounds, as clients have always read it.
    def check(value: int) -> int:
        if value < minimum or (maximum is not None and value > maximum):
            high = "∞" if maximum is None else str(maximum)
            raise refuse("VALUE_OUT_OF_RANGE", f"Must be between {minimum} and {high}.")
        return value

    return AfterValidator(check)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _utc(value: datetime) -> datetime:
    # A datetime sent without an offset is taken to be UTC already.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# The library's list of tender currencies, without the funds codes a shop never sells in.
_CURRENCIES = frozenset(Currency.allowed_currencies) - {"XSU", "XUA"}


def currency_code(value: str | None) -> str | None:
    """The upper-case ISO 4217 code for `value` ("eur" → "EUR"), or None if not a currency."""
    code = value.strip().upper() if value is not None else None
    return code if code in _CURRENCIES else None


def _currency(value: str) -> str:
    if currency_code(value) is None:
        raise refuse("CURRENCY_INVALID", f"{value!r} is not an ISO 4217 currency code.")
    return value


_TLD = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")


def _email(value: str) -> str:
    """Syntax by `email-validator` (no DNS lookup), plus what it lets through: a one-letter
    or numeric top level and a 65+ character local part (RFC 5321 caps it at 64); mail to
    either never arrives."""
    try:
        parsed = email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError:
        parsed = None
    tld = parsed.ascii_domain.rsplit(".", 1)[-1].lower() if parsed else ""
    if parsed and len(parsed.local_part) <= 64 and _TLD.fullmatch(tld):
        return value
    raise refuse("INVALID_EMAIL", f"{value!r} is not a valid e-mail address.")


_DNS_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_HTTP_URL: TypeAdapter[HttpUrl] = TypeAdapter(HttpUrl)


def _is_valid_host(host: str) -> bool:
    if host.startswith("[") or ":" in host:
        return True  # an IPv6 literal; the URL parser already checked it
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    return all(_DNS_LABEL.fullmatch(label) for label in labels)


def _url(value: str) -> str:
    """An absolute http(s) URL by pydantic's `HttpUrl`, whose host is a DNS name (no
    underscores) or an IP literal, with no whitespace or control characters (the parser
    would quietly repair them, and a link sent on must work as given)."""
    invalid = refuse("INVALID_URL", f"{value!r} is not an absolute http(s) URL.")
    if not value or any(char.isspace() or ord(char) < 32 for char in value):
        raise invalid
    try:
        url = _HTTP_URL.validate_python(value)
    except ValidationError:
        raise invalid from None
    if not (url.host and _is_valid_host(url.host)):
        raise invalid
    return value


def Text(max_length: int) -> Any:
    """Free text of at most `max_length` characters (VALUE_TOO_LONG)."""
    return Annotated[str, StringConstraints(max_length=max_length)]


def RequiredText(what: str, max_length: int) -> Any:
    """Text that must not be blank (REQUIRED) and is at most `max_length` long."""
    return Annotated[str, StringConstraints(max_length=max_length), _not_blank(what)]


def Count(minimum: int, maximum: int | None = None) -> Any:
    """A whole number within [minimum, maximum] (VALUE_OUT_OF_RANGE)."""
    return Annotated[int, _in_range(minimum, maximum)]


# Money: finite, not negative, at most four decimal places, fits NUMERIC(16, 4). Only
# money is a constrained decimal, so its errors read as money (`common.inputs`).
Money = Annotated[
    Decimal, Field(ge=0, le=MAX_MONEY, decimal_places=MONEY_DECIMAL_PLACES, allow_inf_nan=False)
]
Email = Annotated[str, AfterValidator(_email)]
Url = Annotated[str, StringConstraints(max_length=MAX_URL_LENGTH), AfterValidator(_url)]
CurrencyCode = Annotated[str, AfterValidator(_currency)]
CountryCode = Annotated[CountryAlpha2, BeforeValidator(_strip)]
UtcDatetime = Annotated[datetime, AfterValidator(_utc)]
