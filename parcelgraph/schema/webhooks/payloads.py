"""Inputs and payloads of the webhook mutations."""

import strawberry

from parcelgraph.schema.common.errors import UserError
from parcelgraph.schema.webhooks.types import (
    WebhookDeliveryType,
    WebhookFormatEnum,
    WebhookStatusEnum,
    WebhookType,
)


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
