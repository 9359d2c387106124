"""Field types of the input models: each names its rule once, and its error's machine code.

Libraries do what they already do well: pydantic's string and number constraints,
`email-validator` behind `Email`, pydantic's `HttpUrl` behind `Url`, and
`pydantic-extra-types` for country and currency codes. The values stay as the caller sent
them (a URL is not rewritten, a code keeps its spelling) because what is stored and echoed
back must not change; only the verdict comes from the library.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError
from pydantic_extra_types.country import CountryAlpha2
from pydantic_extra_types.currency_code import Currency

from parcelgraph.domain import validation as v


def refuse(code: str, message: str) -> PydanticCustomError:
    """An error whose `type` is the API's machine code (the message is kept verbatim)."""
    return PydanticCustomError(code, "{message}", {"message": message})


def checked_by(rule: Callable[[Any, tuple[str, ...]], Sequence[v.Problem]]) -> AfterValidator:
    """A validator from a domain rule that reports `Problem`s (the first one is raised)."""

    def check(value: Any) -> Any:
        found = rule(value, ())
        if found:
            raise refuse(found[0].code, found[0].message)
        return value

    return AfterValidator(check)


def _not_blank(what: str) -> AfterValidator:
    def check(value: str) -> str:
        if not value.strip():
            raise refuse("REQUIRED", f"{what} is required.")
        return value

    return AfterValidator(check)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _utc(value: datetime) -> datetime:
    # A datetime sent without an offset is taken to be UTC already.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _currency(value: str) -> str:
    code = value.strip().upper()
    if code not in _CURRENCIES:
        raise refuse(v.CURRENCY_INVALID, f"{value!r} is not an ISO 4217 currency code.")
    return value


# The library's list of tender currencies, without the funds codes a shop never sells in.
_CURRENCIES = frozenset(Currency.allowed_currencies) - {"XSU", "XUA"}


def Text(max_length: int) -> Any:
    """Free text of at most `max_length` characters (VALUE_TOO_LONG)."""
    return Annotated[str, StringConstraints(max_length=max_length)]


def RequiredText(what: str, max_length: int) -> Any:
    """Text that must not be blank (REQUIRED) and is at most `max_length` long."""
    return Annotated[str, StringConstraints(max_length=max_length), _not_blank(what)]


def Count(minimum: int, maximum: int | None = None) -> Any:
    """A whole number within [minimum, maximum] (VALUE_OUT_OF_RANGE)."""
    return Annotated[
        int, checked_by(lambda value, path: v.validate_int_range(value, path, minimum, maximum))
    ]


# Money: finite, not negative, at most four decimal places, fits NUMERIC(16, 4). Only
# money is a constrained decimal, so its errors read as money (`common.inputs`).
Money = Annotated[
    Decimal, Field(ge=0, le=v.MAX_MONEY, decimal_places=v.MONEY_DECIMAL_PLACES, allow_inf_nan=False)
]
Email = Annotated[str, checked_by(lambda value, path: v.validate_email(value, path))]
Url = Annotated[str, checked_by(lambda value, path: v.validate_http_url(value, path))]
CurrencyCode = Annotated[str, AfterValidator(_currency)]
CountryCode = Annotated[CountryAlpha2, BeforeValidator(_strip)]
UtcDatetime = Annotated[datetime, AfterValidator(_utc)]
