"""The REST face's error envelope, and the ONE mapping from machine codes to statuses/keys.

Every refusal leaves a REST call as `{errors, key, message, type}`: `key` is a stable
snake_case name (the seed platform's keys where it has one: `order_not_found`,
`zip_code_invalid`, ...), `errors` lists every problem as a FastAPI-style item
`{loc, msg, field, type}`. The codes come from the same `Rejected` issues the GraphQL face
reports as `UserError.code`, so both faces refuse the same inputs for the same reasons.
"""

import re
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from parcelgraph.domain.errors import Issue, Rejected

INVALID_REQUEST = "invalid_request_error"
API_ERROR = "api_error"

# The HTTP status of each machine code that is not a plain 422, grouped by status.
_CODES_BY_STATUS: dict[int, tuple[str, ...]] = {
    404: (
        "NOT_FOUND",
        "ORDER_NOT_FOUND",
        "SHIPMENT_NOT_FOUND",
        "WEBHOOK_NOT_FOUND",
        "CLAIM_NOT_FOUND",
        "SHOP_NOT_FOUND",
    ),
    409: ("ORDER_EXISTS", "DUPLICATE_EXTERNAL_ID", "DUPLICATE_CLAIM", "IDEMPOTENCY_KEY_REUSED"),
    403: ("FORBIDDEN",),
    401: ("UNAUTHENTICATED",),
}
STATUSES = {code: status for status, codes in _CODES_BY_STATUS.items() for code in codes}

# The envelope key is the code lower-cased (`order_not_found`, `currency_mismatch`, ...),
# except where v1 names the refusal otherwise.
V1_KEYS = {
    "DUPLICATE_EXTERNAL_ID": "order_exists",
    "DUPLICATE_CLAIM": "claim_exists",
    "UNAUTHENTICATED": "unauthorized",
}


def status_and_key(code: str) -> tuple[int, str]:
    """The HTTP status and envelope key of a machine code."""
    return STATUSES.get(code, 422), V1_KEYS.get(code, code.lower())


def snake(name: str | int) -> str | int:
    """A camelCase path segment of the use cases as the REST face's snake_case."""
    if isinstance(name, int):
        return name
    snaked = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return snaked.replace("address_line1", "address_line_1").replace(
        "address_line2", "address_line_2"
    )


def item(loc: Sequence[str | int], msg: str, type_: str) -> dict[str, Any]:
    """One FastAPI-style validation item; `field` is the dotted path without the location."""
    field = ".".join(str(p) for p in loc[1:]) if len(loc) > 1 else None
    return {"loc": list(loc), "msg": msg, "field": field, "type": type_}


def envelope(
    status: int, key: str, message: str, errors: Iterable[dict[str, Any]] = ()
) -> JSONResponse:
    """The documented error body with `status`."""
    body = {
        "errors": list(errors),
        "key": key,
        "message": message,
        "type": INVALID_REQUEST if status < 500 else API_ERROR,
    }
    return JSONResponse(body, status_code=status)


class RestError(Exception):
    """A refusal decided by the REST face itself (auth, an unknown shop, a duplicate)."""

    def __init__(
        self, status: int, key: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.key, self.message, self.headers = status, key, message, headers

    def response(self) -> JSONResponse:
        """The error as an envelope response."""
        response = envelope(self.status, self.key, self.message)
        response.headers.update(self.headers or {})
        return response


def _lead(issues: Sequence[Issue]) -> Issue:
    # The most specific issue decides the status: "not found" or "conflict" over "invalid".
    ranked = sorted(issues, key=lambda i: {404: 0, 409: 1}.get(status_and_key(i.code)[0], 2))
    return ranked[0]


def from_rejected(
    rejected: Rejected, *, drop: int = 0, prefix: Sequence[str | int] = ()
) -> JSONResponse:
    """A use case's refusal as the envelope: every issue an item, paths in snake_case.

    `drop` removes leading path segments the REST body does not have (a bare order placed
    with POST is `order` in the use case's paths); `prefix` adds where the body sits.
    """
    issues = list(rejected.issues) or [Issue("INVALID_INPUT", "The input was refused.")]
    lead = _lead(issues)
    status, key = status_and_key(lead.code)
    return envelope(status, key, lead.message, issue_items(issues, drop=drop, prefix=prefix))


def issue_items(
    issues: Iterable[Issue], *, drop: int = 0, prefix: Sequence[str | int] = ()
) -> list[dict[str, Any]]:
    """Issues as validation items located in the request body."""
    return [
        item(
            ("body", *prefix, *(snake(p) for p in i.field[drop:])),
            i.message,
            status_and_key(i.code)[1],
        )
        for i in issues
    ]


def from_validation(error: RequestValidationError) -> JSONResponse:
    """FastAPI's request validation failure as the envelope (422 `validation_error`)."""
    items = [
        item(tuple(e.get("loc", ())), str(e.get("msg", "")), str(e.get("type", "")))
        for e in error.errors()
    ]
    first = items[0]["msg"] if items else "The request is invalid."
    return envelope(422, "validation_error", first, items)
