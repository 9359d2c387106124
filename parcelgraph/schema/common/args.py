"""Argument checks shared by the root lookups, the lookup of one row by one key, and
`lookup`, which makes such a lookup a root field."""

import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from strawberry.utils.str_converters import to_camel_case

from parcelgraph.schema.common import ids
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.scope import only_order
from parcelgraph.schema.hardening.extensions import PublicError


def exactly_one(**keys: Any) -> None:
    """Refuse a lookup that names no key or several (they could disagree)."""
    given = [name for name, value in keys.items() if value is not None]
    if len(given) != 1:
        names = ", ".join(f"`{name}`" for name in keys)
        raise PublicError(f"Pass exactly one of {names}.", "INVALID_INPUT")


async def find_one(
    info: strawberry.Info,
    find: Callable[..., Awaitable[Any]],
    *,
    type_name: str,
    id: str | None,
    id_key: str,
    **keys: Any,
) -> Any:
    """The row of this shop (and, for a customer, of their order) that `find` returns for
    the global `id` (passed to `find` as `id_key`) or `keys`; None for an id that names
    nothing, without a query."""
    row_id = ids.decode(id, type_name) if id is not None else None
    if id is not None and row_id is None:
        return None
    async with info.context.reader() as session:
        return await find(
            session,
            shop_id=info.context.shop_id,
            only_order_id=only_order(info),
            **{id_key: row_id},
            **keys,
        )


def lookup(
    node: Any,
    find: Callable[..., Awaitable[Any]],
    *,
    type_name: str,
    id_key: str,
    description: str,
    id: str,
    **keys: str,
) -> Any:
    """A root field that returns the `node` of exactly one of its keys, or null.

    Its arguments are `id` (the global id, passed to `find` as `id_key`) and then `keys`,
    each a string; every keyword's value describes its argument. `find_one` reads the row.
    """

    async def resolve(self: Any, info: strawberry.Info, **given: Any) -> Any:
        exactly_one(**{to_camel_case(name): value for name, value in given.items()})
        row = await find_one(info, find, type_name=type_name, id_key=id_key, **given)
        return node.from_row(row) if row else None

    plain = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [
        inspect.Parameter("self", plain),
        inspect.Parameter("info", plain, annotation=strawberry.Info),
        _optional("id", strawberry.ID, id),
        *(_optional(name, str, text) for name, text in keys.items()),
    ]
    resolve.__signature__ = inspect.Signature(parameters, return_annotation=node | None)  # type: ignore[attr-defined]
    return strawberry.field(
        resolver=resolve, description=description, permission_classes=[Allow.viewers_and_customers]
    )


def _optional(name: str, kind: type, description: str) -> inspect.Parameter:
    """An argument `name: kind | None = None` with its description."""
    return inspect.Parameter(
        name,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        default=None,
        annotation=Annotated[kind | None, strawberry.argument(description=description)],
    )
