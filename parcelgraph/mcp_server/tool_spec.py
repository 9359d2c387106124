"""A tool's definition: what it takes, who may call it, what it does, and how MCP lists it."""

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
