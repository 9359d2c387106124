"""Webhook management (admin keys only): queries, and the mutations that create, change,
delete, re-key, redeliver and test webhooks. Thin fields over resolvers.webhooks and
resolvers.deliveries; expected failures come back as `errors`."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry import relay

from parcelgraph.domain.enums import WebhookFormat, WebhookStatus
from parcelgraph.domain.errors import Rejected
from parcelgraph.resolvers import webhooks
from parcelgraph.resolvers.webhooks import deliveries
from parcelgraph.schema.common.errors import UserError, user_errors
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.webhooks.types import (
    WebhookDeliveryType,
    WebhookFormatEnum,
    WebhookStatusEnum,
    WebhookType,
)

T = TypeVar("T")


def parse_id(value: str, type_name: str, path: str = "id") -> uuid.UUID:
    """The row id inside a global id of `type_name`, or Rejected(INVALID_ID)."""
    try:
        global_id = relay.GlobalID.from_id(value)
        if global_id.type_name == type_name:
            return uuid.UUID(global_id.node_id)
    except (ValueError, TypeError):
        pass
    raise Rejected.one("INVALID_ID", f"Not the id of a {type_name}.", path)


async def _write(
    info: strawberry.Info, work: Callable[[Any], Awaitable[T]]
) -> tuple[T | None, list[UserError]]:
    """Run `work(session)` in one transaction; a Rejected becomes `errors`, nothing written."""
    try:
        async with info.context.transaction() as session:
            return await work(session), []
    except Rejected as rejected:
        return None, user_errors(rejected)


@strawberry.input(description="A new webhook subscription.")
class CreateWebhookInput:
    """What to send where."""

    url: str = strawberry.field(
        description="Absolute https URL that receives POSTs (http only for loopback or private "
        "addresses, and only when the server allows them)."
    )
    enabled_events: list[str] | None = strawberry.field(
        default=None,
        description="Which events to receive: `*` (all, the default when omitted), a ref "
        "(`shipments/delivered/SUCCESSFULLY_DELIVERED`), a ref prefix at a `/` boundary "
        "(`shipments/delivered`, `claims`), or an event group (`shipment_delivered`).",
    )
    description: str | None = strawberry.field(
        default=None, description="A note for people (at most 1000 characters)."
    )
    format: WebhookFormatEnum = strawberry.field(
        default=WebhookFormatEnum.STANDARD,
        description="The envelope and signature scheme of its deliveries: STANDARD (the "
        "default here), KARLA (the seed platform's v1 format) or LEGACY.",
    )


@strawberry.input(description="Changes to a webhook; omitted fields stay as they are.")
class UpdateWebhookInput:
    """Only the fields given change."""

    id: strawberry.ID = strawberry.field(description="The webhook's id.")
    url: str | None = strawberry.field(default=None, description="A new URL.")
    enabled_events: list[str] | None = strawberry.field(
        default=None, description="A new list of refs, prefixes or groups (replaces the old)."
    )
    description: str | None = strawberry.field(
        default=None, description="A new note; an empty string clears it."
    )
    status: WebhookStatusEnum | None = strawberry.field(
        default=None,
        description="ACTIVE to (re)activate (clears the failure counter and reason; owed "
        "deliveries are then sent), INACTIVE to pause.",
    )
    format: WebhookFormatEnum | None = strawberry.field(
        default=None,
        description="A new envelope and signature scheme; deliveries sent from now on use it.",
    )


@strawberry.type(description="Result of createWebhook.")
class CreateWebhookPayload:
    """The new webhook and, this once, its secret."""

    webhook: WebhookType | None = strawberry.field(description="The webhook, if created.")
    secret: str | None = strawberry.field(
        description="The signing secret (`whsec_...`). Shown only here and on rotation: "
        "store it now."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was created.")


@strawberry.type(description="Result of updateWebhook.")
class UpdateWebhookPayload:
    """The changed webhook."""

    webhook: WebhookType | None = strawberry.field(description="The webhook after the change.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed.")


@strawberry.type(description="Result of deleteWebhook.")
class DeleteWebhookPayload:
    """Which webhook is gone."""

    deleted_webhook_id: strawberry.ID | None = strawberry.field(
        description="The id of the deleted webhook (its owed deliveries are deleted with it)."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was deleted.")


@strawberry.type(description="Result of rotateWebhookSecret.")
class RotateWebhookSecretPayload:
    """The webhook and its new secret."""

    webhook: WebhookType | None = strawberry.field(description="The webhook.")
    secret: str | None = strawberry.field(
        description="The new signing secret, shown only here. The previous one keeps signing "
        "beside it until `webhook.previousSecretExpiresAt`."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed.")


@strawberry.type(description="Result of redeliverWebhookDelivery and sendTestWebhook.")
class WebhookDeliveryPayload:
    """The newly owed delivery."""

    delivery: WebhookDeliveryType | None = strawberry.field(
        description="The new delivery, PENDING; it goes out within moments while the webhook "
        "is ACTIVE."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was queued.")


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


@strawberry.type
class WebhookMutation:
    """Root fields that manage webhooks (admin keys only)."""

    @strawberry.mutation(
        description="Subscribe a URL to events. Returns the signing secret, shown only here.",
        permission_classes=[Allow.admins],
    )
    async def create_webhook(
        self,
        info: strawberry.Info,
        input: Annotated[CreateWebhookInput, strawberry.argument(description="URL and events.")],
    ) -> CreateWebhookPayload:
        context = info.context
        issued, errors = await _write(
            info,
            lambda session: webhooks.create(
                session,
                shop=context.shop,
                url=input.url,
                enabled_events=input.enabled_events,
                description=input.description,
                now=context.now(),
                allow_private=context.settings.webhook_allow_private_urls,
                format=WebhookFormat(input.format.value),
            ),
        )
        if issued is None:
            return CreateWebhookPayload(webhook=None, secret=None, errors=errors)
        return CreateWebhookPayload(
            webhook=WebhookType.from_row(issued.webhook), secret=issued.secret, errors=[]
        )

    @strawberry.mutation(
        description="Change a webhook's URL, events, description or status.",
        permission_classes=[Allow.admins],
    )
    async def update_webhook(
        self,
        info: strawberry.Info,
        input: Annotated[UpdateWebhookInput, strawberry.argument(description="The changes.")],
    ) -> UpdateWebhookPayload:
        context = info.context

        async def work(session: Any) -> Any:
            return await webhooks.update(
                session,
                shop=context.shop,
                webhook_id=parse_id(input.id, "Webhook"),
                now=context.now(),
                allow_private=context.settings.webhook_allow_private_urls,
                url=input.url,
                enabled_events=input.enabled_events,
                description=input.description,
                status=WebhookStatus(input.status.value) if input.status else None,
                format=WebhookFormat(input.format.value) if input.format else None,
            )

        row, errors = await _write(info, work)
        return UpdateWebhookPayload(
            webhook=WebhookType.from_row(row) if row else None, errors=errors
        )

    @strawberry.mutation(
        description="Delete a webhook; deliveries still owed to it are dropped.",
        permission_classes=[Allow.admins],
    )
    async def delete_webhook(
        self,
        info: strawberry.Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The webhook's id.")],
    ) -> DeleteWebhookPayload:
        context = info.context
        deleted, errors = await _write(
            info,
            lambda session: webhooks.delete(
                session, shop=context.shop, webhook_id=parse_id(id, "Webhook")
            ),
        )
        return DeleteWebhookPayload(deleted_webhook_id=id if deleted else None, errors=errors)

    @strawberry.mutation(
        description="Issue a new signing secret. The old one keeps signing beside it for a "
        "grace period, so receivers can switch without losing a delivery.",
        permission_classes=[Allow.admins],
    )
    async def rotate_webhook_secret(
        self,
        info: strawberry.Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The webhook's id.")],
        grace_hours: Annotated[
            float | None,
            strawberry.argument(
                description="Hours the old secret keeps signing (0 to 168; default: the server's "
                "setting, 24). 0 retires it at once.",
            ),
        ] = None,
    ) -> RotateWebhookSecretPayload:
        context = info.context
        hours = context.settings.webhook_secret_grace_hours if grace_hours is None else grace_hours
        issued, errors = await _write(
            info,
            lambda session: webhooks.rotate_secret(
                session,
                shop=context.shop,
                webhook_id=parse_id(id, "Webhook"),
                now=context.now(),
                grace_hours=hours,
            ),
        )
        if issued is None:
            return RotateWebhookSecretPayload(webhook=None, secret=None, errors=errors)
        return RotateWebhookSecretPayload(
            webhook=WebhookType.from_row(issued.webhook), secret=issued.secret, errors=[]
        )

    @strawberry.mutation(
        description="Send a delivery's event again: a new delivery with a fresh retry cycle, "
        "the same body and the same event id.",
        permission_classes=[Allow.admins],
    )
    async def redeliver_webhook_delivery(
        self,
        info: strawberry.Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The delivery's id.")],
    ) -> WebhookDeliveryPayload:
        context = info.context
        row, errors = await _write(
            info,
            lambda session: deliveries.redeliver(
                session,
                shop=context.shop,
                delivery_id=parse_id(id, "WebhookDelivery"),
                now=context.now(),
            ),
        )
        delivery = WebhookDeliveryType.from_row(row) if row else None
        return WebhookDeliveryPayload(delivery=delivery, errors=errors)

    @strawberry.mutation(
        description='Send a signed test ping (`source` "test", `ref` "test/ping") to a '
        "webhook, to check that the receiver verifies signatures.",
        permission_classes=[Allow.admins],
    )
    async def send_test_webhook(
        self,
        info: strawberry.Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The webhook's id.")],
    ) -> WebhookDeliveryPayload:
        context = info.context
        row, errors = await _write(
            info,
            lambda session: deliveries.send_test(
                session,
                shop=context.shop,
                webhook_id=parse_id(id, "Webhook"),
                now=context.now(),
            ),
        )
        delivery = WebhookDeliveryType.from_row(row) if row else None
        return WebhookDeliveryPayload(delivery=delivery, errors=errors)
