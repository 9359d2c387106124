"""The one frame every mutation shares: a write transaction around one use case, refusals
as `errors`, the result as the payload.

A mutation field supplies only what differs: the use case call, how its result reads as
the payload, and the payload type. A `Rejected` raised anywhere in the call (a malformed
id, a refused input, a missing order) rolls the transaction back and becomes the payload's
`errors`, with every other field of the payload empty; anything else propagates to the
error-masking extension.
"""

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.errors import Rejected
from parcelgraph.schema.common.errors import UserError, user_errors

R = TypeVar("R")
P = TypeVar("P")


def refused_payload(payload: type[P], errors: list[UserError]) -> P:
    """`payload` with `errors` and every field that has no default left empty (null)."""
    empty = {
        field.name: None
        for field in dataclasses.fields(payload)  # type: ignore[arg-type]
        if field.name != "errors"
        and field.default is dataclasses.MISSING
        and field.default_factory is dataclasses.MISSING
    }
    return payload(**empty, errors=errors)


async def run_mutation(
    info: strawberry.Info,
    use_case: Callable[[AsyncSession], Awaitable[R]],
    *,
    done: Callable[[R], P],
    payload: type[P],
    refused: Callable[[list[UserError]], P] | None = None,
    errors: Callable[[Rejected], list[UserError]] = user_errors,
) -> P:
    """Run `use_case(session)` in one write transaction and map its outcome to `payload`.

    `refused` builds the payload of a refusal when empty fields will not do; `errors`
    maps the refusal when its paths need adjusting for this field's input.
    """
    try:
        async with info.context.transaction() as session:
            result = await use_case(session)
    except Rejected as rejected:
        found = errors(rejected)
        return refused(found) if refused is not None else refused_payload(payload, found)
    return done(result)


def ok(payload: type[P], **fields: Any) -> P:
    """A successful payload: its fields and no errors."""
    return payload(**fields, errors=[])
