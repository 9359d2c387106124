"""The one frame every mutation shares: a write transaction around one use case, refusals
as `errors`, the result as the payload.

A mutation field supplies only what differs: the use case call, how its result reads as
the payload, and the payload type. A `Rejected` raised anywhere in the call (a malformed
id, a refused input, a missing order) rolls the transaction back and becomes the payload's
`errors`, with every other field of the payload empty; anything else propagates to the
error-masking extension.

`mutation(...)` declares a whole root mutation field from those parts (description,
permission, arguments, use case, result mapping), so a field is the few lines that differ;
a field that must refuse before any transaction opens calls `run_mutation` itself.
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


@dataclasses.dataclass(frozen=True)
class Arg:
    """One argument of a mutation field: its type, its description and, if optional, its default."""

    type: Any
    description: str
    default: Any = inspect.Parameter.empty

    def parameter(self, name: str) -> inspect.Parameter:
        """The resolver parameter Strawberry reads the argument from."""
        annotation = Annotated[self.type, strawberry.argument(description=self.description)]
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
        return inspect.Parameter(name, kind, default=self.default, annotation=annotation)


def mutation(
    *,
    description: str,
    allow: type[BasePermission],
    args: dict[str, Arg],
    payload: type[P],
    run: Callable[..., Awaitable[R]],
    done: Callable[[R], P],
    refused: Callable[[list[UserError]], P] | None = None,
    errors: Callable[[Rejected], list[UserError]] = user_errors,
) -> Any:
    """A root mutation field whose resolver is `run_mutation` around
    `run(context, session, **arguments)`: the field states only what differs.

    `args` are the field's arguments in schema order; the other keywords are those of
    `run_mutation`.
    """

    async def resolve(self: Any, info: strawberry.Info, **arguments: Any) -> P:
        context = info.context
        return await run_mutation(
            info,
            lambda session: run(context, session, **arguments),
            done=done,
            payload=payload,
            refused=refused,
            errors=errors,
        )

    fixed = [
        inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter(
            "info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=strawberry.Info
        ),
    ]
    parameters = fixed + [arg.parameter(name) for name, arg in args.items()]
    resolve.__signature__ = inspect.Signature(parameters, return_annotation=payload)  # type: ignore[attr-defined]
    return strawberry.mutation(
        resolver=resolve, description=description, permission_classes=[allow]
    )
