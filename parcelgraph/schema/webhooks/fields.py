"""Webhook management (admin keys only): queries, and the mutations that create, change,
delete, re-key, redeliver and test webhooks. Thin fields over resolvers.webhooks and
resolvers.deliveries; expected failures come back as `errors`."""

import uuid
from typing import Annotated, TypeVar

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry import relay

from parcelgraph.domain.enums import WebhookFormat, WebhookStatus
from parcelgraph.domain.errors import Rejected
from parcelgraph.models import Webhook, WebhookDelivery
from parcelgraph.resolvers import webhooks
from parcelgraph.resolvers.webhooks import deliveries
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.runner import ok, run_mutation
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
        return await run_mutation(
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
            done=lambda issued: _issued(CreateWebhookPayload, issued),
            payload=CreateWebhookPayload,
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

        async def update(session: AsyncSession) -> Webhook:
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

        return await run_mutation(
            info,
            update,
            done=lambda row: ok(UpdateWebhookPayload, webhook=WebhookType.from_row(row)),
            payload=UpdateWebhookPayload,
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
        return await run_mutation(
            info,
            lambda session: webhooks.delete(
                session, shop=context.shop, webhook_id=parse_id(id, "Webhook")
            ),
            done=lambda deleted: ok(
                DeleteWebhookPayload, deleted_webhook_id=id if deleted else None
            ),
            payload=DeleteWebhookPayload,
        )

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
        return await run_mutation(
            info,
            lambda session: webhooks.rotate_secret(
                session,
                shop=context.shop,
                webhook_id=parse_id(id, "Webhook"),
                now=context.now(),
                grace_hours=hours,
            ),
            done=lambda issued: _issued(RotateWebhookSecretPayload, issued),
            payload=RotateWebhookSecretPayload,
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
        return await run_mutation(
            info,
            lambda session: deliveries.redeliver(
                session,
                shop=context.shop,
                delivery_id=parse_id(id, "WebhookDelivery"),
                now=context.now(),
            ),
            done=_delivery,
            payload=WebhookDeliveryPayload,
        )

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
        return await run_mutation(
            info,
            lambda session: deliveries.send_test(
                session,
                shop=context.shop,
                webhook_id=parse_id(id, "Webhook"),
                now=context.now(),
            ),
            done=_delivery,
            payload=WebhookDeliveryPayload,
        )
