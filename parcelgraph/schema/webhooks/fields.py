"""Webhook management (admin keys only): queries, and the mutations that create, change,
delete, re-key, redeliver and test webhooks. Thin fields over resolvers.webhooks and
resolvers.deliveries; expected failures come back as `errors`."""

import uuid
from typing import Annotated, TypeVar

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry import relay

from parcelgraph.context import Context
from parcelgraph.domain.errors import Rejected
from parcelgraph.models import Webhook, WebhookDelivery
from parcelgraph.resolvers import webhooks
from parcelgraph.resolvers.webhooks import deliveries
from parcelgraph.resolvers.webhooks.inputs import WebhookChanges, WebhookInput
from parcelgraph.schema.common.convert import plain
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.runner import mutation, ok
from parcelgraph.schema.webhooks.payloads import (
    CreateWebhookInput,
    CreateWebhookPayload,
    DeleteWebhookPayload,
    RotateWebhookSecretPayload,
    UpdateWebhookInput,
    UpdateWebhookPayload,
    WebhookDeliveryPayload,
)
from parcelgraph.schema.webhooks.types import (
    WebhookDeliveryType,
    WebhookType,
)

P = TypeVar("P")


def parse_id(value: str, type_name: str, path: str = "id") -> uuid.UUID:
    """The row id inside a global id of `type_name`, or Rejected(INVALID_ID)."""
    try:
        global_id = relay.GlobalID.from_id(value)
        if global_id.type_name == type_name:
            return uuid.UUID(global_id.node_id)
    except (ValueError, TypeError):
        pass
    raise Rejected.one("INVALID_ID", f"Not the id of a {type_name}.", path)


def _issued(payload: type[P], issued: webhooks.IssuedSecret) -> P:
    return ok(payload, webhook=WebhookType.from_row(issued.webhook), secret=issued.secret)


def _delivery(row: WebhookDelivery) -> WebhookDeliveryPayload:
    return ok(WebhookDeliveryPayload, delivery=WebhookDeliveryType.from_row(row))


@strawberry.type
class WebhookQuery:
    """Root fields that read webhooks."""

    @strawberry.field(
        description="Every webhook of the shop, oldest first (admins only).",
        permission_classes=[Allow.admins],
    )
    async def webhooks(self, info: strawberry.Info) -> list[WebhookType]:
        async with info.context.db.reader() as session:
            rows = await webhooks.list_for_shop(session, shop_id=info.context.shop_id)
        return [WebhookType.from_row(r) for r in rows]

    @strawberry.field(
        description="One webhook by id, with its delivery log (admins only).",
        permission_classes=[Allow.admins],
    )
    async def webhook(
        self,
        info: strawberry.Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The webhook's id.")],
    ) -> WebhookType | None:
        try:
            webhook_id = parse_id(id, "Webhook")
        except Rejected:
            return None
        rows = await WebhookType.resolve_nodes(info=info, node_ids=[str(webhook_id)])
        return rows[0]


WEBHOOK_ID = "The webhook's id."
GRACE_HOURS = (
    "Hours the old secret keeps signing (0 to 168; default: the server's setting, 24). 0 "
    "retires it at once."
)


@strawberry.type
class WebhookMutation:
    """Root fields that manage webhooks (admin keys only)."""

    @mutation(
        Allow.admins,
        CreateWebhookPayload,
        done=lambda issued: _issued(CreateWebhookPayload, issued),
        input="URL and events.",
    )
    async def create_webhook(
        context: Context, session: AsyncSession, input: CreateWebhookInput
    ) -> webhooks.IssuedSecret:
        """Subscribe a URL to events. Returns the signing secret, shown only here."""
        return await webhooks.create(
            session,
            shop=context.shop,
            input=WebhookInput.unchecked(plain(input)),
            now=context.now(),
            allow_private=context.settings.webhook_allow_private_urls,
        )

    @mutation(
        Allow.admins,
        UpdateWebhookPayload,
        done=lambda row: ok(UpdateWebhookPayload, webhook=WebhookType.from_row(row)),
        input="The changes.",
    )
    async def update_webhook(
        context: Context, session: AsyncSession, input: UpdateWebhookInput
    ) -> Webhook:
        """Change a webhook's URL, events, description or status."""
        return await webhooks.update(
            session,
            shop=context.shop,
            webhook_id=parse_id(input.id, "Webhook"),
            input=WebhookChanges.unchecked(plain(input)),
            now=context.now(),
            allow_private=context.settings.webhook_allow_private_urls,
        )

    @mutation(
        Allow.admins,
        DeleteWebhookPayload,
        done=lambda deleted_id: ok(DeleteWebhookPayload, deleted_webhook_id=deleted_id),
        id=WEBHOOK_ID,
    )
    async def delete_webhook(
        context: Context, session: AsyncSession, id: strawberry.ID
    ) -> strawberry.ID | None:
        """Delete a webhook; deliveries still owed to it are dropped."""
        webhook_id = parse_id(id, "Webhook")
        deleted = await webhooks.delete(session, shop=context.shop, webhook_id=webhook_id)
        return id if deleted else None  # the payload names it by the id the client sent

    @mutation(
        Allow.admins,
        RotateWebhookSecretPayload,
        done=lambda issued: _issued(RotateWebhookSecretPayload, issued),
        id=WEBHOOK_ID,
        grace_hours=GRACE_HOURS,
    )
    async def rotate_webhook_secret(
        context: Context, session: AsyncSession, id: strawberry.ID, grace_hours: float | None = None
    ) -> webhooks.IssuedSecret:
        """Issue a new signing secret. The old one keeps signing beside it for a grace
        period, so receivers can switch without losing a delivery."""
        settings = context.settings
        return await webhooks.rotate_secret(
            session,
            shop=context.shop,
            webhook_id=parse_id(id, "Webhook"),
            now=context.now(),
            grace_hours=settings.webhook_secret_grace_hours if grace_hours is None else grace_hours,
        )

    @mutation(Allow.admins, WebhookDeliveryPayload, done=_delivery, id="The delivery's id.")
    async def redeliver_webhook_delivery(
        context: Context, session: AsyncSession, id: strawberry.ID
    ) -> WebhookDelivery:
        """Send a delivery's event again: a new delivery with a fresh retry cycle, the same
        body and the same event id."""
        delivery_id = parse_id(id, "WebhookDelivery")
        return await deliveries.redeliver(
            session, shop=context.shop, delivery_id=delivery_id, now=context.now()
        )

    @mutation(Allow.admins, WebhookDeliveryPayload, done=_delivery, id=WEBHOOK_ID)
    async def send_test_webhook(
        context: Context, session: AsyncSession, id: strawberry.ID
    ) -> WebhookDelivery:
        """Send a signed test ping (`source` "test", `ref` "test/ping") to a webhook, to
        check that the receiver verifies signatures."""
        webhook_id = parse_id(id, "Webhook")
        return await deliveries.send_test(
            session, shop=context.shop, webhook_id=webhook_id, now=context.now()
        )
