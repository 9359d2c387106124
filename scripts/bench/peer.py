"""The peer: PostGraphile 4 over the PostgreSQL copy of the seeded data.

PostGraphile is installed at bench time with npm (`postgraphile@4`; version 5 needs Node 22)
into `<BENCH_DIR>/peer`, outside the repository, and reused on later runs. It runs the way
its documentation recommends for production: `NODE_ENV=production`, no query log, no
GraphiQL, no watch mode, default mutations off, one process pinned to the servers' core.
It compiles each GraphQL document into one SQL statement that builds the JSON in the
database.

Its generated schema names things after the tables, so Q1 and Q2 are the same selections
spelled its way: the order by its unique (shopId, orderNumber) constraint, shipments,
events and the shipment's items with their line item, ordered as parcelgraph orders them.
`as_parcelgraph` maps an answer onto parcelgraph's field names and formats, so the runner
can check that both carry the same data before it measures.
"""

import shutil
import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scripts.bench import bodies, postgres
from scripts.bench.load import Server, free_port, spawn
from scripts.bench.report import Skipped

PACKAGE = "postgraphile@4"

_ORDER = """
    id orderNumber state orderPlacedAt totalOrderPrice currency
    shipments: shipmentsByOrderId(orderBy: [POSITION_ASC, CREATED_AT_ASC, ID_ASC]) {
      nodes {
        id trackingNumber phase trackingCompany
        events: eventsByShipmentId(orderBy: [OCCURRED_AT_ASC, POSITION_ASC]) {
          nodes { eventName occurredAt location sequence }
        }
        products: shipmentItemsByShipmentId {
          nodes { sku quantity lineItem: lineItemByLineItemId { sku title position } }
        }
      }
    }
"""
Q1 = (
    "query Q1($shop: UUID!, $number: String!) {"
    " order: orderByShopIdAndOrderNumber(shopId: $shop, orderNumber: $number) {" + _ORDER + "} }"
)
Q2 = (
    "query Q2($shop: UUID!, $first: Int!) { orders: allOrders(condition: {shopId: $shop},"
    " orderBy: [ORDER_PLACED_AT_DESC, ID_DESC], first: $first) { nodes {" + _ORDER + "} } }"
)
ARGS = (
    "--schema",
    "public",
    "--disable-query-log",
    "--disable-graphiql",
    "--disable-default-mutations",
    "--no-setof-functions-contain-nulls",
)


def _node_major(node: str) -> int:
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    return int(version.stdout.strip().lstrip("v").split(".")[0])


def skip_reason() -> str | None:
    """Why the peer cannot run here, or None."""
    reason = postgres.skip_reason()
    if reason:
        return reason
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return "Node.js not found: `node` and `npm` on PATH are needed for PostGraphile 4"
    if _node_major(node) < 14:
        return f"Node {_node_major(node)} is too old for PostGraphile 4 (needs 14 or later)"
    return None


def install(workdir: Path) -> tuple[Path, str]:
    """PostGraphile's CLI script and version, installed from the npm registry once."""
    prefix = workdir / "peer"
    cli = prefix / "node_modules" / "postgraphile" / "cli.js"
    if not cli.exists():
        prefix.mkdir(parents=True, exist_ok=True)
        npm = [shutil.which("npm") or "npm", "install", "--prefix", str(prefix)]
        done = subprocess.run(
            [*npm, "--no-audit", "--no-fund", "--omit=dev", PACKAGE], capture_output=True, text=True
        )
        if done.returncode != 0 or not cli.exists():
            raise Skipped(f"`npm install {PACKAGE}` failed: {done.stderr.strip()[-400:]}")
    import json

    version = json.loads((cli.parent / "package.json").read_text())["version"]
    return cli, version


def start(workdir: Path, libpq_url: str, logdir: Path) -> tuple[Server, str]:
    """The PostGraphile server on a free port, pinned like every other server."""
    cli, version = install(workdir)
    port = free_port()
    node = shutil.which("node") or "node"
    args = [node, str(cli), "--connection", libpq_url, *ARGS]
    args += ["--host", "127.0.0.1", "--port", str(port)]
    server = spawn("postgraphile", port, args, {"NODE_ENV": "production"}, logdir, health="")
    return server, version


def _iso(text: str) -> str:
    return datetime.fromisoformat(text).astimezone(UTC).isoformat()


def _shipment(node: dict[str, Any]) -> dict[str, Any]:
    items = sorted(node["products"]["nodes"], key=lambda item: item["lineItem"]["position"])
    return {
        "id": bodies.global_id("Shipment", uuid.UUID(node["id"])),
        "trackingNumber": node["trackingNumber"],
        "phase": node["phase"].upper(),
        "trackingCompany": node["trackingCompany"],
        "events": [{**e, "occurredAt": _iso(e["occurredAt"])} for e in node["events"]["nodes"]],
        "products": [
            {
                "sku": item["sku"] or item["lineItem"]["sku"],
                "title": item["lineItem"]["title"],
                "quantity": item["quantity"],
            }
            for item in items
        ],
    }


def _order(node: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": bodies.global_id("Order", uuid.UUID(node["id"])),
        "orderNumber": node["orderNumber"],
        "state": node["state"],
        "orderPlacedAt": _iso(node["orderPlacedAt"]),
        "totalOrderPrice": bodies.money(int(node["totalOrderPrice"])),
        "currency": node["currency"],
        "shipments": [_shipment(s) for s in node["shipments"]["nodes"]],
    }


def as_parcelgraph(data: dict[str, Any]) -> dict[str, Any]:
    """PostGraphile's `data` in parcelgraph's shape: global ids, upper-case phases, money as
    a decimal string, UTC timestamps in Python's isoformat, products in line-item order."""
    if "order" in data:
        return {"order": _order(data["order"]) if data["order"] else None}
    return {"orders": {"edges": [{"node": _order(n)} for n in data["orders"]["nodes"]]}}
