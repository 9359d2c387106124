"""Webhook subscriptions: create, change, delete, rotate the secret, list.

Every write validates the whole input first and reports all problems together
(`Rejected`); nothing is written then. The secret is returned only by `create` and
`rotate_secret`. Deleting a webhook removes its pending deliveries with it, so nothing more
is sent to it.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete as sql_delete
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.destinations import INVALID_URL, UnsafeDestination, check_url_syntax
from parcelgraph.domain.enums import WebhookStatus
from parcelgraph.domain.errors import Issue, NotFound, Rejected
from parcelgraph.domain.webhook_matching import ALL_EVENTS
from parcelgraph.domain.webhook_secrets import generate_secret
from parcelgraph.models import Shop, Webhook, WebhookDelivery
from parcelgraph.resolvers.common.inputs import in_field_order, problems
from parcelgraph.resolvers.webhooks.inputs import WebhookChanges, WebhookInput

MAX_GRACE_HOURS = 7 * 24.0
DEACTIVATED_BY_ADMIN = "Deactivated by an admin."


@dataclass(frozen=True)
class IssuedSecret:
    """A webhook with its secret, the one moment the secret leaves the server."""

    webhook: Webhook
    secret: str


def active_secrets(webhook: Webhook, now: datetime) -> list[str]:
    """The secrets that sign a delivery now: the current one, plus the previous one while
    its rotation grace period lasts (receivers holding either secret verify it)."""
    secrets = [webhook.secret]
    expires_at = webhook.previous_secret_expires_at
    if webhook.previous_secret and expires_at is not None and expires_at > now:
        secrets.append(webhook.previous_secret)
    return secrets


def _url_issues(url: str | None, allow_private: bool, found: list[Issue]) -> list[Issue]:
    """The destination rules the settings decide, once the URL is well formed at all."""
    if url is None or any(issue.field[:1] == ("url",) for issue in found):
        return []
    try:
        check_url_syntax(url, allow_private)
    except UnsafeDestination as refused:
        code = "INVALID_URL" if refused.code == INVALID_URL else "UNSAFE_URL"
        return [Issue(code, refused.message, ("url",))]
    return []


def _checked(model: WebhookInput | WebhookChanges, allow_private: bool) -> None:
    found = problems(model)
    found += _url_issues(model.url, allow_private, found)
    if found:
        raise Rejected(in_field_order(type(model), found))


async def create(
    session: AsyncSession,
    *,
    shop: Shop,
    input: WebhookInput,
    now: datetime,
    allow_private: bool,
) -> IssuedSecret:
    """Subscribe `input.url` to the events `input.enabled_events` selects (omitted: all).

    `input.format` is how its deliveries look and are signed; each face passes its default.
    """
    _checked(input, allow_private)
    entries = input.enabled_events
    secret = generate_secret()
    webhook = Webhook(
        shop_id=shop.id,
        url=input.url,
        enabled_events=[ALL_EVENTS] if entries is None else list(entries),
        description=input.description,
        status=input.status.value,
        format=input.format.value,
        secret=secret,
        created_at=now,
        updated_at=now,
    )
    session.add(webhook)
    await session.flush()
    return IssuedSecret(webhook, secret)


async def get(
    session: AsyncSession, *, shop_id: uuid.UUID, webhook_id: uuid.UUID, lock: bool = False
) -> Webhook:
    """The shop's webhook, or NotFound (WEBHOOK_NOT_FOUND). `lock`: for update."""
    stmt = select(Webhook).where(Webhook.id == webhook_id, Webhook.shop_id == shop_id)
    if lock:
        stmt = stmt.with_for_update()
    webhook = (await session.exec(stmt)).first()
    if webhook is None:
        raise NotFound(
            [Issue("WEBHOOK_NOT_FOUND", "No webhook with that id in this shop.", ("id",))]
        )
    return webhook


async def list_for_shop(session: AsyncSession, *, shop_id: uuid.UUID) -> list[Webhook]:
    """Every webhook of the shop, oldest first."""
    stmt = (
        select(Webhook).where(Webhook.shop_id == shop_id).order_by(Webhook.created_at, Webhook.id)  # type: ignore[arg-type]
    )
    return list((await session.exec(stmt)).all())


async def update(
    session: AsyncSession,
    *,
    shop: Shop,
    webhook_id: uuid.UUID,
    input: WebhookChanges,
    now: datetime,
    allow_private: bool,
) -> Webhook:
    """Change what is given (None leaves a field as it is; an empty description clears it).

    Reactivating an INACTIVE webhook clears its failure counter and reason; its deliveries
    still pending are then sent again. Deactivating keeps them pending, unsent.
    """
    _checked(input, allow_private)
    webhook = await get(session, shop_id=shop.id, webhook_id=webhook_id, lock=True)
    if input.url is not None:
        webhook.url = input.url
    if input.enabled_events is not None:
        webhook.enabled_events = list(input.enabled_events)
    if input.format is not None:
        webhook.format = input.format.value
    if input.description is not None:
        webhook.description = input.description or None
    if input.status is not None and input.status.value != webhook.status:
        _set_status(webhook, input.status)
    webhook.updated_at = now
    session.add(webhook)
    await session.flush()
    return webhook


def _set_status(webhook: Webhook, status: WebhookStatus) -> None:
    webhook.status = status.value
    if status is WebhookStatus.ACTIVE:
        webhook.consecutive_failures = 0
        webhook.disabled_reason = None
    else:
        webhook.disabled_reason = DEACTIVATED_BY_ADMIN


async def delete(session: AsyncSession, *, shop: Shop, webhook_id: uuid.UUID) -> uuid.UUID:
    """Delete the webhook and every delivery still owed to it (with their attempt log)."""
    webhook = await get(session, shop_id=shop.id, webhook_id=webhook_id, lock=True)
    await session.exec(  # type: ignore[call-overload]
        sql_delete(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id)  # type: ignore[arg-type]
    )
    await session.delete(webhook)
    await session.flush()
    return webhook_id


async def rotate_secret(
    session: AsyncSession,
    *,
    shop: Shop,
    webhook_id: uuid.UUID,
    now: datetime,
    grace_hours: float,
) -> IssuedSecret:
    """Issue a new secret; the current one keeps signing beside it for `grace_hours`.

    A second rotation within the grace period retires the oldest secret at once: only the
    current and the one before it ever sign.
    """
    if not 0 <= grace_hours <= MAX_GRACE_HOURS:
        raise Rejected.one(
            "VALUE_OUT_OF_RANGE", f"Between 0 and {MAX_GRACE_HOURS:g} hours.", "graceHours"
        )
    webhook = await get(session, shop_id=shop.id, webhook_id=webhook_id, lock=True)
    secret = generate_secret()
    if grace_hours > 0:
        webhook.previous_secret = webhook.secret
        webhook.previous_secret_expires_at = now + timedelta(hours=grace_hours)
    else:
        webhook.previous_secret = None
        webhook.previous_secret_expires_at = None
    webhook.secret = secret
    webhook.updated_at = now
    session.add(webhook)
    await session.flush()
    return IssuedSecret(webhook, secret)
