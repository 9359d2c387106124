"""Webhook, WebhookDelivery and WebhookAttempt: subscriptions and their delivery log.

Admin-only types. Reads go through batched loaders (`delivery_page_by_key`,
`attempts_by_delivery_id`, `webhook_by_id`), so a `webhooks` list with each webhook's
deliveries and their attempts costs three SELECTs whatever the number of rows.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay

from parcelgraph.domain.enums import DeliveryStatus, Role, WebhookFormat, WebhookStatus
from parcelgraph.models import Webhook, WebhookAttempt, WebhookDelivery
from parcelgraph.resolvers.webhooks import deliveries
from parcelgraph.schema.common.convert import from_attributes
from parcelgraph.schema.common.enums import mirror
from parcelgraph.schema.hardening.extensions import PublicError

MAX_DELIVERIES_PAGE = 100


WebhookStatusEnum = mirror(
    WebhookStatus,
    "WebhookStatus",
    "Whether a webhook receives deliveries.",
    {
        "ACTIVE": "New matching events create deliveries, and due deliveries are sent.",
        "INACTIVE": "Paused (by an admin, a 410 Gone answer, or too many failed deliveries in "
        "a row; see `disabledReason`). New events create no deliveries; deliveries "
        "already owed wait and are sent once it is ACTIVE again.",
    },
)

WebhookFormatEnum = mirror(
    WebhookFormat,
    "WebhookFormat",
    "How a webhook's deliveries look and are signed.",
    {
        "STANDARD": "parcelgraph's envelope, signed with the Standard Webhooks headers "
        "(`webhook-id`, `webhook-timestamp`, `webhook-signature`). The default for "
        "webhooks created through GraphQL.",
        "KARLA": "The seed platform's v1 envelope (documented keys only, lower-case enum "
        "values, money as numbers) with the `Karla-Signature: t=<unix>,v1=<hex>` header. "
        "The default for webhooks created through REST v1.",
        "LEGACY": "parcelgraph's envelope with both the Karla-Signature and the Standard "
        "Webhooks headers: what webhooks created before formats existed receive.",
    },
)

DeliveryStatusEnum = mirror(
    DeliveryStatus,
    "WebhookDeliveryStatus",
    "Where one delivery stands.",
    {
        "PENDING": "Waiting for its (next) attempt at `nextAttemptAt`.",
        "IN_FLIGHT": "A worker is sending it now (retried automatically if that worker dies).",
        "DELIVERED": "The receiver answered 2xx.",
        "FAILED": "Every retry failed, or the receiver answered 410 Gone. Use "
        "`redeliverWebhookDelivery` to try again.",
        "CANCELLED": "Withdrawn before it was delivered.",
    },
)


@strawberry.type(name="WebhookAttempt", description="One HTTP attempt of a webhook delivery.")
class WebhookAttemptType:
    """What happened when parcelgraph POSTed the delivery once."""

    attempt_number: int = strawberry.field(description="1 for the first attempt, then 2, 3, ...")
    started_at: datetime = strawberry.field(description="When the attempt started.")
    duration_ms: int | None = strawberry.field(
        description="How long the HTTP exchange took, in milliseconds (latency)."
    )
    status_code: int | None = strawberry.field(
        description="The receiver's HTTP status; null when no answer arrived (see `error`)."
    )
    response_excerpt: str | None = strawberry.field(
        description="The first bytes (up to 1 KiB) of the receiver's response body."
    )
    error: str | None = strawberry.field(
        description="Why no complete answer arrived, e.g. `timeout: ...`, `connect_error: ...` "
        "or `unsafe_destination: ...`; null when the receiver answered."
    )
    succeeded: bool = strawberry.field(description="True when the receiver answered 2xx.")

    @classmethod
    def from_row(cls, row: WebhookAttempt) -> "WebhookAttemptType":
        """Map a table row to the type."""
        return from_attributes(cls, row)


def is_admin(info: strawberry.Info) -> bool:
    """True for an admin API key (webhooks are visible to admins only, even by node id)."""
    key = info.context.api_key
    return key is not None and key.role.allows(Role.ADMIN)


async def resolve_admin_nodes(
    info: strawberry.Info, model: type, node_ids: Iterable[str], to_type: Any
) -> list[Any]:
    """Shop-scoped node lookup that shows nothing to non-admins."""
    from parcelgraph.schema.common.nodes import resolve_scoped

    ids = list(node_ids)
    if not is_admin(info):
        return [None] * len(ids)
    return await resolve_scoped(info, model, ids, to_type)


@strawberry.type(
    name="WebhookDelivery",
    description="One event (or test ping) owed to one webhook, with its attempt log.",
)
class WebhookDeliveryType(relay.Node):
    """A row of the delivery log: status, schedule and every attempt."""

    id: relay.NodeID[str]
    event_id: str | None = strawberry.field(
        description="The stable event id sent as the body's `id` and the `webhook-id` header; "
        "the same on every retry and redelivery, so receivers de-duplicate by it."
    )
    event_position: int | None = strawberry.field(
        description="The event's global position (null for test pings)."
    )
    is_test: bool = strawberry.field(description="True for a ping sent by `sendTestWebhook`.")
    status: DeliveryStatusEnum = strawberry.field(description="Where the delivery stands.")
    attempt_count: int = strawberry.field(description="Attempts made so far.")
    next_attempt_at: datetime | None = strawberry.field(
        description="When the next attempt is due (PENDING only)."
    )
    delivered_at: datetime | None = strawberry.field(description="When a 2xx was received.")
    last_status_code: int | None = strawberry.field(
        description="HTTP status of the latest attempt, if the receiver answered."
    )
    last_error: str | None = strawberry.field(
        description="Network error of the latest attempt, if it got no answer."
    )
    created_at: datetime = strawberry.field(description="When the delivery was owed.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    row_id: strawberry.Private[uuid.UUID]
    webhook_row_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: WebhookDelivery) -> "WebhookDeliveryType":
        """Map a table row to the type."""
        pending = row.status == DeliveryStatus.PENDING.value
        return from_attributes(
            cls,
            row,
            id=str(row.id),
            event_id=str(row.event_id) if row.event_id else None,
            is_test=row.test_body is not None,
            status=DeliveryStatusEnum(row.status),
            next_attempt_at=row.next_attempt_at if pending else None,
            row_id=row.id,
            webhook_row_id=row.webhook_id,
        )

    @strawberry.field(description="Every attempt, oldest first.")
    async def attempts(self, info: strawberry.Info) -> list[WebhookAttemptType]:
        rows = await info.context.loaders.attempts_by_delivery_id.load(self.row_id)
        return [WebhookAttemptType.from_row(r) for r in rows]

    @strawberry.field(description="The webhook the delivery is owed to.")
    async def webhook(self, info: strawberry.Info) -> "WebhookType | None":
        row = await info.context.loaders.webhook_by_id.load(self.webhook_row_id)
        return WebhookType.from_row(row) if row else None

    @classmethod
    async def resolve_nodes(cls, *, info, node_ids, required=False):  # type: ignore[no-untyped-def]
        return await resolve_admin_nodes(info, WebhookDelivery, node_ids, cls.from_row)


@strawberry.type(name="WebhookDeliveryEdge", description="A delivery and its cursor.")
class WebhookDeliveryEdge:
    """One item of a deliveries page."""

    cursor: str = strawberry.field(description="Pass as `after` to continue after this item.")
    node: WebhookDeliveryType = strawberry.field(description="The delivery.")


@strawberry.type(
    name="WebhookDeliveryConnection", description="A page of a webhook's deliveries, newest first."
)
class WebhookDeliveryConnection:
    """Keyset-paged deliveries."""

    edges: list[WebhookDeliveryEdge] = strawberry.field(description="The page's deliveries.")
    page_info: relay.PageInfo = strawberry.field(description="Where the page stands.")

    @strawberry.field(description="The page's deliveries without cursors.")
    def nodes(self) -> list[WebhookDeliveryType]:
        return [edge.node for edge in self.edges]


def _after_position(first: int, after: str | None) -> Any:
    """The position `after` names in the delivery log; refuses a page size out of range or
    a cursor of another list."""
    if not 1 <= first <= MAX_DELIVERIES_PAGE:
        raise PublicError(
            f"`first` must be between 1 and {MAX_DELIVERIES_PAGE}.", "VALUE_OUT_OF_RANGE"
        )
    try:
        return deliveries.decode_cursor(after) if after else None
    except deliveries.InvalidCursor:
        raise PublicError("`after` is not a cursor of this list.", "INVALID_INPUT") from None


@strawberry.type(name="Webhook", description="An endpoint that receives signed event envelopes.")
class WebhookType(relay.Node):
    """A webhook subscription (its secret is shown only at creation and rotation)."""

    id: relay.NodeID[str]
    url: str = strawberry.field(description="Where deliveries are POSTed.")
    enabled_events: list[str] = strawberry.field(
        description="Which events it receives: `*`, refs or ref prefixes at a `/` boundary "
        "(`shipments/delivered`, `claims`), or event groups (`shipment_delivered`)."
    )
    description: str | None = strawberry.field(description="A note for people.")
    status: WebhookStatusEnum = strawberry.field(description="ACTIVE or INACTIVE.")
    format: WebhookFormatEnum = strawberry.field(
        description="The envelope and signature scheme of its deliveries."
    )
    disabled_reason: str | None = strawberry.field(
        description="Why it is INACTIVE, when parcelgraph or an admin paused it."
    )
    consecutive_failures: int = strawberry.field(
        description="Deliveries in a row that failed after every retry (reset by a success "
        "or by reactivating)."
    )
    previous_secret_expires_at: datetime | None = strawberry.field(
        description="After a rotation: until when the previous secret still signs beside the "
        "current one (both signatures are sent)."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    row_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: Webhook) -> "WebhookType":
        """Map a table row to the type."""
        return from_attributes(
            cls,
            row,
            id=str(row.id),
            enabled_events=list(row.enabled_events),
            status=WebhookStatusEnum(row.status),
            format=WebhookFormatEnum(row.format),
            row_id=row.id,
        )

    @strawberry.field(description="The delivery log, newest first, with every attempt.")
    async def deliveries(
        self,
        info: strawberry.Info,
        first: Annotated[
            int, strawberry.argument(description="How many deliveries to return (1 to 100).")
        ] = 20,
        after: Annotated[
            str | None,
            strawberry.argument(description="A cursor (`endCursor`): return deliveries after it."),
        ] = None,
        status: Annotated[
            DeliveryStatusEnum | None,
            strawberry.argument(description="Only deliveries in this status."),
        ] = None,
    ) -> WebhookDeliveryConnection:
        wanted = DeliveryStatus(status.value) if status else None
        key = deliveries.PageKey(self.row_id, first, _after_position(first, after), wanted)
        page = await info.context.loaders.delivery_page_by_key.load(key)
        edges = [
            WebhookDeliveryEdge(
                cursor=deliveries.encode_cursor(row), node=WebhookDeliveryType.from_row(row)
            )
            for row in page.rows
        ]
        return WebhookDeliveryConnection(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )

    @classmethod
    async def resolve_nodes(cls, *, info, node_ids, required=False):  # type: ignore[no-untyped-def]
        return await resolve_admin_nodes(info, Webhook, node_ids, cls.from_row)
