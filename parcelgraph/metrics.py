"""Prometheus metrics of this process: one registry, the metric objects, small helpers.

Every part that has something to count imports this module and updates a metric in place
(cheap, no I/O). Gauges that describe the database (outbox depth, poller lag) are filled
at scrape time by `parcelgraph.operability.routes`, so they are right in every process and
cost nothing between scrapes. Labels never carry ids a client can invent, except operation
names, which are capped (`operation_label`) so a client cannot grow the series without end.
"""

import threading
import time
from contextvars import ContextVar

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

OPERATIONS = Counter(
    "parcelgraph_graphql_operations_total",
    "GraphQL operations executed, by operation name and type (query, mutation, subscription).",
    ["operation", "type"],
    registry=REGISTRY,
)
OPERATION_SECONDS = Histogram(
    "parcelgraph_graphql_operation_seconds",
    "Time to execute a GraphQL operation (for subscriptions: until the stream ends).",
    ["operation", "type"],
    registry=REGISTRY,
)
ERRORS = Counter(
    "parcelgraph_graphql_errors_total",
    "GraphQL errors returned to clients, by their extensions.code.",
    ["code"],
    registry=REGISTRY,
)
SQL_STATEMENTS = Histogram(
    "parcelgraph_sql_statements_per_operation",
    "SQL statements one GraphQL query or mutation ran.",
    ["type"],
    buckets=(1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64),
    registry=REGISTRY,
)
RATE_LIMIT_REFUSALS = Counter(
    "parcelgraph_rate_limit_refusals_total",
    "Operations refused by the per-key cost budget (THROTTLED).",
    registry=REGISTRY,
)
OUTBOX_DEPTH = Gauge(
    "parcelgraph_webhook_outbox_depth",
    "Webhook deliveries waiting to be delivered (PENDING), at scrape time.",
    registry=REGISTRY,
)
OUTBOX_OLDEST_AGE = Gauge(
    "parcelgraph_webhook_outbox_oldest_age_seconds",
    "Age of the oldest waiting webhook delivery (0 when none waits), at scrape time.",
    registry=REGISTRY,
)
DELIVERIES = Counter(
    "parcelgraph_webhook_delivery_attempts_total",
    "Webhook delivery attempts by webhook and outcome (DELIVERED, RETRY, GONE).",
    ["webhook", "outcome"],
    registry=REGISTRY,
)
DELIVERY_SECONDS = Histogram(
    "parcelgraph_webhook_delivery_seconds",
    "Duration of a webhook POST (until the receiver answered or the attempt failed).",
    ["webhook"],
    registry=REGISTRY,
)
WEBSOCKETS_OPEN = Gauge(
    "parcelgraph_websocket_connections",
    "WebSocket connections open on this process.",
    registry=REGISTRY,
)
EVENTS_FANNED_OUT = Counter(
    "parcelgraph_subscription_events_sent_total",
    "Events sent to subscribers (one per event per subscription).",
    registry=REGISTRY,
)
POLLS = Counter(
    "parcelgraph_carrier_polls_total",
    "Carrier answers per parcel by carrier adapter and result (ok, not_found, error).",
    ["carrier", "result"],
    registry=REGISTRY,
)
POLLER_LAG = Gauge(
    "parcelgraph_carrier_poller_lag_seconds",
    "How long the most overdue shipment of a carrier has been waiting for its poll.",
    ["carrier"],
    registry=REGISTRY,
)
POLLER_FAILING = Gauge(
    "parcelgraph_carrier_poller_failing_shipments",
    "Shipments of a carrier whose last poll failed, at scrape time.",
    ["carrier"],
    registry=REGISTRY,
)
HEARTBEAT = Gauge(
    "parcelgraph_service_heartbeat_timestamp_seconds",
    "Last time a background service of this process went round its loop (Unix time).",
    ["service"],
    registry=REGISTRY,
)

# Statements of the operation being executed; the SQL listener adds to the running count.
STATEMENTS: ContextVar[list[int] | None] = ContextVar("parcelgraph_statements", default=None)

MAX_OPERATION_NAMES = 200
_names: set[str] = set()
_names_lock = threading.Lock()


def operation_label(name: str | None) -> str:
    """The label for an operation name: the name itself for the first 200 distinct names
    this process sees (real clients use a fixed set), `anonymous` or `other` beyond that."""
    if not name:
        return "anonymous"
    name = name[:64]
    with _names_lock:
        if name in _names or len(_names) < MAX_OPERATION_NAMES:
            _names.add(name)
            return name
    return "other"


_CONTROL = frozenset({"BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE"})


def count_statement(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
    """SQLAlchemy `before_cursor_execute` listener: one more statement for this operation
    (transaction control and PRAGMAs are not work the operation asked for)."""
    running = STATEMENTS.get()
    if running is None:
        return
    head = statement.lstrip()[:9].split(None, 1)
    if head and head[0].upper() not in _CONTROL:
        running[0] += 1


def beat(service: str) -> None:
    """A background service is alive (read by /readyz)."""
    HEARTBEAT.labels(service).set(time.time())


def last_beat(service: str) -> float | None:
    """When `service` last beat in this process, or None if never."""
    for metric in HEARTBEAT.collect():
        for sample in metric.samples:
            if sample.labels.get("service") == service:
                return sample.value
    return None
