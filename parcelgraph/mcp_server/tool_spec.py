"""A tool's definition: what it takes, who may call it, what it does, and how MCP lists it.

A tool is declared where it is written: `@tool(title, source)` (or `@write_tool`) over its
function makes a `ToolSpec` named after the function, taking the argument model its `args`
parameter is annotated with, and adding its docstring to the GraphQL field's description,
as a GraphQL mutation field is declared by `@mutation` over its function. So a tool's
words, permissions and annotations stand beside its code, once.
"""

import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import mcp.types as types
from graphql import GraphQLSchema

from parcelgraph.domain.enums import Role
from parcelgraph.mcp_server.args import ToolArgs
from parcelgraph.mcp_server.calls import Call
from parcelgraph.mcp_server.describe import field_description, input_schema

Run = Callable[[Call, Any], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class ToolSpec:
    """One tool: what it takes, who may call it, what it does."""

    name: str
    title: str
    args: type[ToolArgs]
    role: Role
    run: Run
    source: tuple[str, str] | None  # the GraphQL field it stands for (its description)
    note: str  # what the tool adds to that description
    read_only: bool = True
    destructive: bool = False
    idempotent: bool = True

    def describe(self, schema: GraphQLSchema | None) -> types.Tool:
        """The MCP tool definition."""
        base = field_description(schema, *self.source) if self.source else ""
        role = f"Needs an API key with role {self.role.value} or above."
        return types.Tool(
            name=self.name,
            title=self.title,
            description=" ".join(p for p in (base, self.note, role) if p),
            input_schema=input_schema(self.args, schema),
            annotations=types.ToolAnnotations(
                title=self.title,
                read_only_hint=self.read_only,
                destructive_hint=self.destructive,
                idempotent_hint=self.idempotent,
                open_world_hint=False,
            ),
        )


def tool(
    title: str,
    source: tuple[str, str] | None,
    *,
    role: Role = Role.VIEWER,
    read_only: bool = True,
    destructive: bool = False,
    idempotent: bool = True,
) -> Callable[[Run], ToolSpec]:
    """Make `run(call, args)` the tool of its name. `source` is the GraphQL field it stands
    for (None: no field); the function's docstring is what the tool adds to that field's
    description. The other keywords are those of `ToolSpec`."""

    def spec(run: Run) -> ToolSpec:
        args = typing.get_type_hints(run)["args"]
        if not issubclass(args, ToolArgs):
            raise TypeError(f"{run.__name__}: `args` must be annotated with a ToolArgs model")
        return ToolSpec(
            name=run.__name__,
            title=title,
            args=args,
            role=role,
            run=run,
            source=source,
            note=" ".join((run.__doc__ or "").split()),
            read_only=read_only,
            destructive=destructive,
            idempotent=idempotent,
        )

    return spec


def write_tool(
    title: str,
    source: tuple[str, str],
    *,
    role: Role = Role.EDITOR,
    destructive: bool = False,
    idempotent: bool = True,
) -> Callable[[Run], ToolSpec]:
    """`tool` for a write: not read-only, and an editor's unless `role` says otherwise."""
    return tool(
        title,
        source,
        role=role,
        read_only=False,
        destructive=destructive,
        idempotent=idempotent,
    )
