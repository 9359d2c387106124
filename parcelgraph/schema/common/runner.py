"""The one frame every mutation shares: a write transaction around one use case, refusals
as `errors`, the result as the payload.

A mutation field supplies only what differs: the use case call, how its result reads as
the payload, and the payload type. A `Rejected` raised anywhere in the call (a malformed
id, a refused input, a missing order) rolls the transaction back and becomes the payload's
`errors`, with every other field of the payload empty; anything else propagates to the
error-masking extension.

`@mutation(...)` makes a root mutation field of a function that runs one use case: its
docstring describes the field, its parameters are the field's arguments, and the decorator
names the permission, the payload and how the result reads as the payload. So a field is
the few lines that differ.
"""

import dataclasses
import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry.permission import BasePermission

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


def mutation(
    allow: type[BasePermission],
    payload: type[P],
    /,
    *,
    done: Callable[[Any], P],
    refused: Callable[[list[UserError]], P] | None = None,
    errors: Callable[[Rejected], list[UserError]] = user_errors,
    **arguments: str,
) -> Callable[[Callable[..., Awaitable[Any]]], Any]:
    """Make `use(context, session, **args)` a root mutation field run by `run_mutation`.

    The decorated function's docstring is the field's description, and its parameters after
    `context` and `session` are the field's arguments, each described by the keyword of
    its name in `arguments`. `allow` is the field's permission; the other keywords are
    those of `run_mutation`.
    """

    def field(use: Callable[..., Awaitable[Any]]) -> Any:
        async def resolve(self: Any, info: strawberry.Info, **args: Any) -> P:
            context = info.context
            return await run_mutation(
                info,
                lambda session: use(context, session, **args),
                done=done,
                payload=payload,
                refused=refused,
                errors=errors,
            )

        resolve.__signature__ = _signature(use, arguments, payload)  # type: ignore[attr-defined]
        description = " ".join((use.__doc__ or "").split())
        return strawberry.mutation(
            resolver=resolve, description=description, permission_classes=[allow]
        )

    return field


def _signature(use: Callable[..., Any], arguments: dict[str, str], payload: type) -> Any:
    """The resolver's signature as Strawberry reads it: `self`, `info`, then the use's own
    parameters, each annotated with its description."""
    own = list(inspect.signature(use).parameters.values())[2:]
    if {p.name for p in own} != set(arguments):
        raise TypeError(f"{use.__name__}: describe exactly its arguments {[p.name for p in own]}")
    described = [
        p.replace(
            annotation=Annotated[p.annotation, strawberry.argument(description=arguments[p.name])]
        )
        for p in own
    ]
    plain = inspect.Parameter.POSITIONAL_OR_KEYWORD
    fixed = [
        inspect.Parameter("self", plain),
        inspect.Parameter("info", plain, annotation=strawberry.Info),
    ]
    return inspect.Signature(fixed + described, return_annotation=payload)
