"""Webhook operations of REST v1 (admin keys): create, list, get, update, delete.

Webhooks created here default to the KARLA format (the seed platform's envelope and
Karla-Signature), so a receiver written for v1 works unchanged; `format` picks another.
"""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from parcelgraph.context import Context
from parcelgraph.domain.enums import WebhookFormat, WebhookStatus
from parcelgraph.models import Webhook
from parcelgraph.resolvers import webhooks
from parcelgraph.resolvers.webhooks.inputs import WebhookChanges, WebhookInput
from parcelgraph.rest.access import Admin, EnvelopeRoute
from parcelgraph.rest.enums import lower_case
from parcelgraph.rest.operations import PageNumber, transaction, write
from parcelgraph.rest.order_models import Body
from parcelgraph.rest.responses import COMMON
from parcelgraph.rest.views import from_row

router = APIRouter(route_class=EnvelopeRoute, tags=["webhooks"])
WEBHOOKS = "/v1/shops/{slug}/webhooks"
WebhookId = Annotated[UUID, Path(description="The webhook's uuid.")]


Status = lower_case(
    "Status",
    WebhookStatus,
    """`active` webhooks receive deliveries; `inactive` ones are paused (owed deliveries wait).""",
    module=__name__,
)

Format = lower_case(
    "Format",
    WebhookFormat,
    """How deliveries look and are signed: `karla` (the v1 envelope with `Karla-Signature`,
    the default here), `standard` (parcelgraph's envelope with Standard Webhooks headers) or
    `legacy` (parcelgraph's envelope with both header sets).""",
    module=__name__,
)

EVENTS_HELP = (
    "Event refs to receive: `*` (all), a ref (`shipments/delivered/SUCCESSFULLY_DELIVERED`), "
    "a prefix (`shipments/delivered`, `claims`) or an event group (`shipment_delivered`)."
)


class WebhookIn(Body):
    """A new webhook."""

    url: str = Field(description="Absolute https URL that receives the POSTs.")
    enabled_events: list[str] | None = Field(None, description=EVENTS_HELP + " Default `*`.")
    description: str | None = Field(None, description="A note for people.")
    status: Status = Field(Status.active, description="Start active (default) or paused.")
    format: Format = Field(Format.karla, description="Envelope and signature scheme.")


class WebhookUpdateIn(Body):
    """Changes to a webhook; omitted fields stay as they are."""

    url: str | None = Field(None, description="A new URL.")
    enabled_events: list[str] | None = Field(None, description=EVENTS_HELP)
    description: str | None = Field(None, description="A new note; empty clears it.")
    status: Status | None = Field(None, description="`active` to (re)activate, or `inactive`.")
    format: Format | None = Field(None, description="A new envelope and signature scheme.")


class WebhookOut(BaseModel):
    """A webhook subscription."""

    uuid: UUID = Field(description="The webhook's id.")
    merchant_slug: str = Field(description="The shop's slug.")
    url: str = Field(description="Where deliveries go.")
    enabled_events: list[str] = Field(description="The refs it receives.")
    description: str | None = Field(None, description="The note.")
    status: Status = Field(description="Active or inactive.")
    format: Format = Field(description="Envelope and signature scheme.")
    secret: str | None = Field(
        None, description="The signing secret: only in the answer to create, null otherwise."
    )
    created_at: datetime = Field(description="When created.")
    updated_at: datetime = Field(description="Last change.")


def _out(context: Context, row: Webhook, secret: str | None = None) -> WebhookOut:
    # `secret` is always given, never copied: the row's secret is shown once, at creation.
    return from_row(
        WebhookOut,
        row,
        uuid=row.id,
        merchant_slug=context.shop.slug,
        status=Status(row.status.lower()),
        format=Format(row.format.lower()),
        secret=secret,
    )


@router.post(
    WEBHOOKS,
    summary="Create webhook",
    description="Subscribe a URL to events. The answer carries the signing secret, shown "
    "only here.",
    status_code=201,
    responses=COMMON,
)
async def create_webhook(context: Admin, body: WebhookIn) -> WebhookOut:
    issued = await write(
        context,
        webhooks.create,
        input=WebhookInput.unchecked(
            {
                "url": body.url,
                "enabled_events": body.enabled_events,
                "description": body.description,
                "format": WebhookFormat(body.format.value.upper()),
                "status": WebhookStatus(body.status.value.upper()),
            }
        ),
        allow_private=context.settings.webhook_allow_private_urls,
    )
    return _out(context, issued.webhook, issued.secret)


@router.get(
    WEBHOOKS,
    summary="Search webhooks",
    description="The shop's webhooks, oldest first; every filter given must match.",
    responses=COMMON,
)
async def search_webhooks(
    context: Admin,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(gt=0, le=100, description="Webhooks per page.")] = 30,
    uuid_: Annotated[UUID | None, Query(alias="uuid", description="This webhook.")] = None,
    status: Annotated[Status | None, Query(description="Only this status.")] = None,
    url: Annotated[str | None, Query(description="Only this exact URL.")] = None,
) -> list[WebhookOut]:
    async with context.db.reader() as session:
        rows = await webhooks.list_for_shop(session, shop_id=context.shop_id)
    # A shop has a handful of webhooks: filtering them here costs less than a query per filter.
    rows = [
        row
        for row in rows
        if (uuid_ is None or row.id == uuid_)
        and (status is None or row.status == status.value.upper())
        and (url is None or row.url == url)
    ]
    start = (page - 1) * per_page
    return [_out(context, row) for row in rows[start : start + per_page]]


@router.get(
    WEBHOOKS + "/{webhook_id}",
    summary="Get webhook",
    description="One webhook by uuid (without its secret).",
    responses=COMMON,
)
async def get_webhook(context: Admin, webhook_id: WebhookId) -> WebhookOut:
    async with context.db.reader() as session:
        row = await webhooks.get(session, shop_id=context.shop_id, webhook_id=webhook_id)
    return _out(context, row)


@router.patch(
    WEBHOOKS + "/{webhook_id}",
    summary="Update webhook",
    description="Change `url`, `enabled_events`, `description`, `status` or `format`; "
    "omitted fields stay as they are.",
    responses=COMMON,
)
async def update_webhook(
    context: Admin, webhook_id: WebhookId, body: WebhookUpdateIn
) -> WebhookOut:
    row = await write(
        context,
        webhooks.update,
        webhook_id=webhook_id,
        input=WebhookChanges.unchecked(
            {
                "url": body.url,
                "enabled_events": body.enabled_events,
                "description": body.description,
                "status": WebhookStatus(body.status.value.upper()) if body.status else None,
                "format": WebhookFormat(body.format.value.upper()) if body.format else None,
            }
        ),
        allow_private=context.settings.webhook_allow_private_urls,
    )
    return _out(context, row)


@router.delete(
    WEBHOOKS + "/{webhook_id}",
    summary="Delete webhook",
    description="Delete the webhook; deliveries still owed to it are dropped.",
    status_code=204,
    response_class=Response,
    responses=COMMON,
)
async def delete_webhook(context: Admin, webhook_id: WebhookId) -> Response:
    # delete takes no time (it stamps nothing), so it runs in the bare transaction.
    await transaction(
        context,
        lambda session: webhooks.delete(session, shop=context.shop, webhook_id=webhook_id),
    )
    return Response(status_code=204)
