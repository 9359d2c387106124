"""The tool catalogue: every tool, in the order an agent is shown them.

Each tool is declared over its function in reads.py or writes.py (`tool_spec.tool`). A
tool's description is the GraphQL field's description it stands for (read from the schema
the app hands in), plus what the tool adds (its function's docstring); its input schema is
its pydantic model's, described from the GraphQL input types (describe.py). Annotations say
truthfully what a call does: reads are read-only and idempotent; writes say whether they
overwrite (destructive) and whether repeating the same call changes nothing more.
"""

from parcelgraph.mcp_server import reads, writes
from parcelgraph.mcp_server.tool_spec import ToolSpec

# The order tools/list gives them in: reads first, then writes.
TOOLS: tuple[ToolSpec, ...] = (
    reads.find_orders,
    reads.get_order,
    reads.get_shipment_events,
    reads.explain_carrier,
    reads.claim_options,
    reads.list_webhook_deliveries,
    reads.shop_analytics,
    reads.graphql_query,
    writes.upsert_order,
    writes.attach_tracking,
    writes.append_shipment_event,
    writes.create_claim,
    writes.update_claim,
    writes.redeliver_webhook_delivery,
)

BY_NAME = {tool.name: tool for tool in TOOLS}
