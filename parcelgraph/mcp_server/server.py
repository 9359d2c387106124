"""The MCP server (the SDK's low-level `Server`): tools, resources and prompts.

One server object serves every shop: each request carries its caller (the HTTP endpoint
puts the authenticated shop and key into the request's scope; the stdio runner has one
fixed caller). Failures of tool calls are results with `isError` and GraphQL's codes and
field paths, so a model can read and fix them; resource and prompt failures are protocol
errors.
"""

import logging
from collections.abc import Callable
from typing import Any

import mcp.types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.shared.exceptions import MCPError
from pydantic import ValidationError

from parcelgraph import __version__
from parcelgraph.domain import text
from parcelgraph.domain.errors import Issue, Rejected
from parcelgraph.mcp_server import prompts, resources
from parcelgraph.mcp_server.calls import Call, Caller, GraphQLBridge, Services
from parcelgraph.mcp_server.errors import (
    ToolFailure,
    failure,
    from_rejected,
    masked,
    success,
)
from parcelgraph.mcp_server.tools import BY_NAME, TOOLS
from parcelgraph.resolvers.common.inputs import issues_of

logger = logging.getLogger(__name__)

SCOPE_KEY = "parcelgraph.mcp_caller"  # where the HTTP endpoint leaves the caller
INVALID_PARAMS = -32602

INSTRUCTIONS = (
    "parcelgraph tracks a shop's orders after purchase: orders -> packages (shipments) with "
    "tracking numbers -> normalized carrier events in four phases (pre-transit, in transit, "
    "delivery, delivered/returned) -> claims. Find things with find_orders and get_order; "
    "write with upsert_order, attach_tracking, append_shipment_event, create_claim. Errors "
    "come back with a machine `code` and the `field` path of the argument to fix."
)

ResolveCaller = Callable[[ServerRequestContext[Any, Any]], tuple[Caller, Services]]


def caller_from_scope(ctx: ServerRequestContext[Any, Any]) -> tuple[Caller, Services]:
    """The caller the HTTP endpoint authenticated for this request."""
    request = ctx.request
    scope = getattr(request, "scope", None) or {}
    found = scope.get(SCOPE_KEY)
    if found is None:
        raise MCPError(-32001, "Not authenticated.")
    return found  # type: ignore[no-any-return]


def _refuse_bad_text(arguments: dict[str, Any] | None) -> None:
    """INVALID_CHARACTERS for a NUL character or lone surrogate anywhere in the arguments,
    before they are validated or reach a use case (the same check as every other face)."""
    found = text.first_problem(arguments or {}, [])
    if found is not None:
        path, reason = found
        raise Rejected([Issue(text.CODE, text.refusal_message(path, reason), tuple(path))])


def build_server(bridge: GraphQLBridge, resolve: ResolveCaller = caller_from_scope) -> Server:
    """The server; `resolve` tells each request's caller."""
    handlers = _Handlers(bridge, resolve)
    return Server(
        "parcelgraph",
        version=__version__,
        instructions=INSTRUCTIONS,
        on_list_tools=handlers.list_tools,
        on_call_tool=handlers.call_tool,
        on_list_resources=_list_resources,
        on_list_resource_templates=_list_templates,
        on_read_resource=handlers.read_resource,
        on_list_prompts=_list_prompts,
        on_get_prompt=_get_prompt,
    )


class _Handlers:
    """The request handlers that need the GraphQL bridge or the request's caller."""

    def __init__(self, bridge: GraphQLBridge, resolve: ResolveCaller) -> None:
        self.bridge = bridge
        self.resolve = resolve

    def call_of(self, ctx: ServerRequestContext[Any, Any]) -> Call:
        caller, services = self.resolve(ctx)
        return Call(caller=caller, services=services, bridge=self.bridge)

    async def list_tools(self, ctx: Any, params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[tool.describe(self.bridge.schema) for tool in TOOLS])

    async def call_tool(
        self, ctx: Any, params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        spec = BY_NAME.get(params.name)
        if spec is None:
            raise MCPError(INVALID_PARAMS, f"Unknown tool {params.name!r}.")
        call = self.call_of(ctx)
        try:
            call.require(spec.role)
            _refuse_bad_text(params.arguments)
            arguments = spec.args.model_validate(params.arguments or {})
            return success(await spec.run(call, arguments))
        except ValidationError as error:
            return failure(from_rejected(Rejected(issues_of(error))))
        except Rejected as rejected:
            return failure(from_rejected(rejected))
        except ToolFailure as refused:
            return failure(refused)
        except Exception as error:
            return failure(masked(error, spec.name))

    async def read_resource(
        self, ctx: Any, params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        try:
            return await resources.read(self.call_of(ctx), str(params.uri))
        except ToolFailure as refused:
            first = refused.errors[0]
            raise MCPError(INVALID_PARAMS, str(first["message"]), refused.errors) from None


async def _list_resources(ctx: Any, params: Any) -> types.ListResourcesResult:
    return types.ListResourcesResult(resources=resources.RESOURCES)


async def _list_templates(ctx: Any, params: Any) -> types.ListResourceTemplatesResult:
    return types.ListResourceTemplatesResult(resource_templates=resources.TEMPLATES)


async def _list_prompts(ctx: Any, params: Any) -> types.ListPromptsResult:
    return types.ListPromptsResult(prompts=prompts.PROMPTS)


async def _get_prompt(ctx: Any, params: types.GetPromptRequestParams) -> types.GetPromptResult:
    try:
        return prompts.render(params.name, params.arguments)
    except KeyError:
        raise MCPError(INVALID_PARAMS, f"Unknown prompt {params.name!r}.") from None
