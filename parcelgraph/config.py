"""Typed settings, read once from `PARCELGRAPH_*` environment variables (or a .env file).

Everything configurable lives here; no other module reads os.environ (docs/architecture.md, Habits).
"""

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """All of parcelgraph's configuration. Field docs double as the README's table."""

    model_config = SettingsConfigDict(
        env_prefix="PARCELGRAPH_", env_file=".env", extra="ignore", frozen=True
    )

    data_dir: Path = Field(
        default=Path("./var"), description="Where the embedded SQLite database lives."
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL. Default: sqlite+aiosqlite in data_dir. "
        "PostgreSQL: postgresql+asyncpg://user@host/db.",
    )
    database_echo: bool = Field(default=False, description="Log every SQL statement.")
    database_pool_size: int = Field(default=10, description="PostgreSQL pool size per process.")
    database_null_pool: bool = Field(
        default=False,
        description="Open a fresh PostgreSQL connection per session (tests: one loop per test).",
    )
    broker_url: str | None = Field(
        default=None,
        description="Pub/sub for subscriptions and shared rate limits. Empty: in-process "
        "(one server process). redis://host:6379/0 for several processes.",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Base of customer-facing links (tracking pages) when the shop has none.",
    )
    host: str = Field(default="127.0.0.1", description="Address `serve` binds to.")
    port: int = Field(default=8000, description="Port `serve` binds to.")
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses or networks of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto `serve` believes (comma-separated, e.g. 10.0.0.5,10.1.0.0/16). "
        "Default none: the client address is the TCP peer, so a header cannot dodge the "
        "per-address rate limits.",
    )
    log_level: str = Field(default="INFO", description="Python logging level.")
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Browser origins allowed to open WebSocket subscriptions cross-origin.",
    )
    graphql_ide: bool = Field(default=True, description="Serve GraphiQL on GET for browsers.")

    # Limits
    max_page_size: int = Field(default=100, description="Cap for `first`/`last` on connections.")
    bulk_max_items: int = Field(default=1000, description="Items per bulkFulfillment call.")
    max_query_cost: int = Field(default=1000, description="Refuse queries costing more.")
    max_query_depth: int = Field(default=12, description="Refuse deeper queries.")
    max_aliases: int = Field(default=30, description="Refuse documents with more aliases.")
    max_tokens: int = Field(default=5000, description="Refuse documents with more tokens.")
    max_fields: int = Field(
        default=250,
        description="Refuse documents with more fields and fragment spreads (as written), "
        "before validating them.",
    )
    max_field_repeats: int = Field(
        default=10,
        description="Refuse documents asking for one field more often in one selection.",
    )
    refused_document_cost: int = Field(
        default=100,
        description="Points a document refused for its size or shape costs the caller's budget.",
    )
    max_body_bytes: int = Field(default=2_000_000, description="Refuse larger HTTP bodies.")
    max_list_input_items: int = Field(
        default=100,
        description="Items a list argument may hold (bulkFulfillment has its own limit).",
    )
    persisted_query_cache_size: int = Field(
        default=10_000, description="Automatic persisted queries kept per process (LRU)."
    )
    rate_limit_capacity: int = Field(default=2000, description="Cost points a bucket holds.")
    rate_limit_restore_per_second: float = Field(
        default=100.0, description="Cost points restored per second."
    )
    rate_limit_namespace: str = Field(
        default="parcelgraph:ratelimit", description="Prefix of the rate-limit keys in Redis."
    )
    max_subscriptions_per_connection: int = Field(
        default=20, description="In-flight operations on one WebSocket."
    )
    subscriber_queue_size: int = Field(
        default=256, description="Events buffered per subscriber before it is dropped as slow."
    )
    subscription_recheck_seconds: float = Field(
        default=3.0,
        description="Seconds between re-checks of a streaming key or token against revocation.",
    )
    ws_ping_interval: float = Field(
        default=20.0,
        description="Seconds between server WebSocket pings (keeps idle widgets alive behind "
        "proxies; a client that does not answer is disconnected).",
    )
    ws_ping_timeout: float = Field(
        default=20.0, description="Seconds to wait for a pong before dropping the connection."
    )

    # Webhooks
    webhook_allow_private_urls: bool = Field(
        default=False, description="Allow http:// and loopback/private webhook URLs (dev/tests)."
    )
    webhook_connect_timeout: float = Field(default=3.0, description="Seconds to connect.")
    webhook_total_timeout: float = Field(default=10.0, description="Seconds for one attempt.")
    webhook_max_retries: int = Field(default=15, description="Retries after the first attempt.")
    webhook_backoff_base: float = Field(default=30.0, description="First retry delay, seconds.")
    webhook_backoff_cap: float = Field(default=43200.0, description="Longest delay, seconds.")
    webhook_backoff_factor: float = Field(default=2.0, description="Growth of each delay.")
    webhook_backoff_jitter: str = Field(
        default="equal", description="Retry jitter: none, full, equal or decorrelated."
    )
    webhook_concurrency: int = Field(
        default=64, description="Deliveries one worker process sends at the same time."
    )
    webhook_max_connections_per_host: int = Field(
        default=10, description="Concurrent requests to one receiver (scheme, host, port)."
    )
    webhook_claim_seconds: float = Field(
        default=60.0, description="Lease of a claimed delivery; an expired lease is retried."
    )
    webhook_poll_interval: float = Field(default=0.5, description="Worker idle poll, seconds.")
    webhook_batch_size: int = Field(default=50, description="Deliveries claimed per batch.")
    webhook_disable_after_failures: int = Field(
        default=5, description="Exhausted deliveries in a row before a webhook is disabled."
    )
    webhook_secret_grace_hours: float = Field(
        default=24.0, description="Hours the old secret keeps signing after rotation."
    )
    run_webhook_worker: bool = Field(default=True, description="Run the worker inside `serve`.")

    # Tracking
    run_carrier_poller: bool = Field(default=True, description="Run the poller inside `serve`.")
    carrier_poll_interval: float = Field(default=5.0, description="Poller idle poll, seconds.")
    carrier_adapters: dict[str, str] = Field(
        default_factory=dict,
        description="Adapter per carrier code, over the adapters' own lists (`*`: every "
        "carrier without an adapter, e.g. an aggregator). Sandbox trackings (code `sandbox`, "
        "or a sandbox shop) are always simulated; nothing else ever is.",
    )
    carrier_base_urls: dict[str, str] = Field(
        default_factory=dict,
        description="Base URL per adapter name, replacing the carrier's production API "
        '(egress proxies, test servers), e.g. {"ups": "https://ups-proxy.internal"}.',
    )
    carrier_connect_timeout: float = Field(
        default=5.0, description="Seconds to connect to a carrier API."
    )
    carrier_read_timeout: float = Field(
        default=20.0, description="Seconds to wait for a carrier API's answer."
    )
    carrier_credentials_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Fernet keys encrypting stored carrier credentials, newest first: the "
        "first encrypts, all decrypt, so a new key is added in front and the old one "
        "dropped after `parcelgraph carrier rotate-credentials`.",
    )
    carrier_check_out_for_delivery_seconds: float = Field(
        default=1200.0, description="Seconds between checks of a parcel out for delivery."
    )
    carrier_check_exception_seconds: float = Field(
        default=3600.0,
        description="Seconds between checks after a failed attempt or at a parcel shop.",
    )
    carrier_check_pre_transit_seconds: float = Field(
        default=7200.0, description="Seconds between checks before the carrier's first scan."
    )
    carrier_check_in_transit_seconds: float = Field(
        default=10800.0, description="Seconds between checks of a parcel in transit."
    )
    carrier_check_quiet_seconds: float = Field(
        default=28800.0,
        description="Seconds between checks of a parcel without news for five days.",
    )
    carrier_check_jitter: float = Field(
        default=0.1, description="Each interval is spread by up to this fraction either way."
    )
    carrier_stop_after_final_hours: float = Field(
        default=48.0,
        description="Hours a delivered or returned parcel is still checked (late scans, "
        "proof of delivery) before polling stops.",
    )
    carrier_give_up_after_days: float = Field(
        default=60.0, description="Days after shipping when an undelivered parcel is stopped."
    )
    carrier_not_found_limit: int = Field(
        default=6,
        description="Not-found answers in a row before a parcel is NOT_FOUND_AT_CARRIER.",
    )
    carrier_poll_batch_size: int = Field(default=100, description="Shipments polled per round.")
    carrier_poll_concurrency: int = Field(
        default=10, description="Carrier requests in flight at once per poller."
    )
    carrier_backoff_base_seconds: float = Field(
        default=60.0, description="Delay after a failed check; doubles with each failure."
    )
    carrier_backoff_cap_seconds: float = Field(
        default=21600.0, description="Longest delay between polls of a failing shipment."
    )
    sandbox_seed: int = Field(
        default=0, description="Seed of the sandbox carrier: same seed, same simulated journeys."
    )
    sandbox_time_scale: float = Field(
        default=240.0,
        description="How much faster than real time sandbox parcels travel (240: a two-day "
        "journey in twelve minutes, so a demo shows parcels moving).",
    )
    eta_history_min_samples: int = Field(
        default=5, description="Delivered parcels of a carrier needed before its history counts."
    )
    eta_history_days: int = Field(
        default=180, description="How far back delivered parcels feed the arrival estimate."
    )
    eta_default_min_days: float = Field(
        default=2.0, description="Earliest arrival, in days after shipping, without history."
    )
    eta_default_max_days: float = Field(
        default=5.0, description="Latest arrival, in days after shipping, without history."
    )

    # Claims and tokens
    not_received_after_days: int = Field(
        default=7, description="Days without news before NOT_RECEIVED claims are allowed."
    )
    claim_description_max_length: int = Field(default=5000, description="Claim text limit.")
    order_token_default_days: int = Field(default=90, description="Default token lifetime.")
    track_order_burst: int = Field(
        default=10, description="Anonymous trackOrder lookups one client address may make at once."
    )
    track_order_per_minute: float = Field(
        default=10.0, description="trackOrder lookups a client address regains per minute."
    )

    # Operations: metrics, traces, logs, health
    metrics_token: str | None = Field(
        default=None,
        description="Bearer token /metrics asks for. Empty: /metrics answers only to clients "
        "on the loopback interface (a sidecar scraper), everyone else gets 403.",
    )
    otlp_endpoint: str | None = Field(
        default=None,
        description="OTLP/HTTP endpoint (e.g. http://collector:4318) to send traces to; needs "
        "the [otel] extra. Empty: no tracing.",
    )
    log_format: str = Field(
        default="text",
        description="`text`, or `json` for one JSON object per line with the request id "
        "(the same id masked errors show clients as their reference).",
    )
    heartbeat_stale_seconds: float = Field(
        default=60.0,
        description="/readyz fails when a background service of this process has not gone "
        "round its loop for this long.",
    )

    @field_validator(
        "allowed_origins", "carrier_credentials_keys", "trusted_proxies", mode="before"
    )
    @classmethod
    def _split_origins(cls, value: object) -> object:
        # Environment variables are plain strings (not JSON-decoded: NoDecode); accept
        # "a,b" as well as JSON lists.
        if isinstance(value, str) and value.strip().startswith("["):
            return json.loads(value)
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @property
    def effective_database_url(self) -> str:
        """The database URL in force: the explicit one, else the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'parcelgraph.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded default (one writer at a time, no cross-process pub/sub)."""
        return self.effective_database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, parsed once."""
    return Settings()
