"""`/llms.txt`: what an agent needs to use the API, generated when the app starts.

Built from the running GraphQL schema (the root fields' and the event catalogue type's
descriptions), the settings in force (limits) and the repository's docs when they are
present beside the package; nothing in it is maintained by hand apart from the flow's
example operations, whose field names are checked against the schema at start (an
example naming a field the schema lacks fails the build of the text).
"""

from pathlib import Path
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema, parse, validate

from parcelgraph.mcp_server.tools import TOOLS

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"

# The four-phase headless flow, each step one operation (validated against the schema).
FLOW = (
    (
        "1. Create the order with the packages you expect to send",
        'mutation { upsertOrder(input: {id: "1001", order: {orderNumber: "1001", '
        'email: "ada@example.com", expectedNumberOfShipments: 2, address: {zipCode: "10115", '
        'countryCode: "DE", city: "Berlin"}}}) { order { id state shipments { id isDraft } } '
        "errors { field code message } } }",
    ),
    (
        "2. Attach a tracking number: it fulfils the next expected package",
        'mutation { upsertOrder(input: {id: "1001", trackings: [{trackingNumber: '
        '"00340434161094042557", carrierReference: "dhl"}]}) { order { shipments { id '
        "trackingNumber phase } } errors { field code message } } }",
    ),
    (
        "3. Record what happens to the parcel (names from the event catalogue)",
        'mutation { appendShipmentEvent(input: {trackingNumber: "00340434161094042557", '
        'eventName: "IN_TRANSIT"}) { shipment { phase } recorded errors { field code } } }',
    ),
    (
        "4. File a claim when the package's state allows it",
        'mutation { createClaim(input: {orderNumber: "1001", trackingNumber: '
        '"00340434161094042557", reason: INVESTIGATION}) { claim { id status } '
        "errors { field code message } } }",
    ),
)


def _fields(schema: GraphQLSchema, type_name: str) -> list[str]:
    """One line per field of an object type: its name and description."""
    kind = schema.type_map.get(type_name)
    if not isinstance(kind, GraphQLObjectType):
        return []
    return [f"- `{name}`: {field.description or ''}" for name, field in kind.fields.items()]


def _docs() -> list[str]:
    if not DOCS_DIR.is_dir():
        return []
    lines = []
    for page in sorted(DOCS_DIR.glob("*.md")):
        title = next(
            (
                line.lstrip("# ").strip()
                for line in page.read_text().splitlines()
                if line.startswith("#")
            ),
            page.stem,
        )
        lines.append(f"- docs/{page.name}: {title}")
    return lines


def _check_flow(schema: GraphQLSchema) -> None:
    for title, operation in FLOW:
        errors = validate(schema, parse(operation))
        if errors:
            raise ValueError(f"llms.txt example {title!r} no longer fits the schema: {errors[0]}")


def render(schema: GraphQLSchema, settings: Any) -> str:
    """The text, with `{base}` where the server's base URL goes (filled in per request)."""
    _check_flow(schema)
    parts = [*_INTRO, *_flow()]
    parts += [
        "## Event catalogue shape (`eventCatalogue`, MCP resource parcelgraph://catalogue/events)",
        "",
        *_fields(schema, "EventDefinition"),
        "",
    ]
    parts += [*_limits(settings), "## MCP tools", ""]
    parts += [f"- `{tool.name}` ({tool.role.value}): {tool.title}" for tool in TOOLS]
    parts += ["", "## Queries", "", *_fields(schema, "Query")]
    parts += ["", "## Mutations", "", *_fields(schema, "Mutation")]
    docs = _docs()
    if docs:
        parts += ["", "## Docs", "", *docs]
    return "\n".join(parts) + "\n"


_INTRO = (
    "# parcelgraph",
    "",
    "> A GraphQL API for the post-purchase journey of a shop: orders, packages with "
    "tracking numbers, normalized carrier events in phases, claims, signed webhooks and "
    "live subscriptions. The same use cases are offered to AI agents as an MCP server.",
    "",
    "## Endpoints and auth",
    "",
    "- GraphQL: `{base}/v1/shops/{slug}/graphql` (POST JSON, GET, WebSocket "
    "graphql-transport-ws). Introspection is open to API keys.",
    "- MCP (streamable HTTP): `{base}/v1/shops/{slug}/mcp`; stdio: "
    "`parcelgraph mcp --shop {slug}` with `PARCELGRAPH_API_KEY=name:secret`.",
    "- Auth: HTTP Basic with the API key's name as user and its secret as password. Roles: "
    "VIEWER reads, EDITOR also writes orders, events and claims, ADMIN also manages "
    "webhooks. 401 = missing/wrong/revoked key, 403 = a key of another shop.",
    "- Errors: mutations return `errors { field code message }` (field = path into the "
    "input, code = machine code); MCP tools return the same codes and paths with isError.",
    "",
)


def _flow() -> list[str]:
    parts = ["## The headless flow (four steps)", ""]
    for title, operation in FLOW:
        parts += [title, "", "```graphql", operation, "```", ""]
    return parts


def _limits(settings: Any) -> list[str]:
    return [
        "## Limits (per API key)",
        "",
        f"- Query cost at most {settings.max_query_cost} points; depth {settings.max_query_depth}; "
        f"aliases {settings.max_aliases}; tokens {settings.max_tokens}; page size "
        f"{settings.max_page_size}; list inputs {settings.max_list_input_items} items.",
        f"- Rate limit: a bucket of {settings.rate_limit_capacity} cost points refilled at "
        f"{settings.rate_limit_restore_per_second:g} points/s, shared by GraphQL and MCP; "
        "refusals carry the codes MAX_COST_EXCEEDED and THROTTLED (with retryAfterSeconds).",
        "",
    ]
