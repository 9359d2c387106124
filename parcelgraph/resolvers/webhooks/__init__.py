"""Webhook subscriptions: create, change, delete, rotate the secret, list.

Every write validates the whole input first and reports all problems together
(`Rejected`); nothing is written then. The secret is returned only by `create` and
`rotate_secret`. Deleting a webhook removes its pending deliveries with it, so nothing more
is sent to it.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete as sql_delete
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain import catalogue
from parcelgraph.domain.destinations import INVALID_URL, UnsafeDestination, check_url_syntax
from parcelgraph.domain.enums import WebhookFormat, WebhookStatus
from parcelgraph.domain.errors import Issue, NotFound, Rejected
from parcelgraph.domain.webhook_matching import ALL_EVENTS, unknown_entries
from parcelgraph.domain.webhook_secrets import generate_secret
from parcelgraph.models import Shop, Webhook, WebhookDelivery

MAX_URL_LENGTH = 2000
MAX_DESCRIPTION_LENGTH = 1000
MAX_ENABLED_EVENTS = 100
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


def _url_issues(url: str, allow_private: bool) -> list[Issue]:
    if len(url) > MAX_URL_LENGTH:
        return [Issue("VALUE_TOO_LONG", f"At most {MAX_URL_LENGTH} characters.", ("url",))]
    try:
        check_url_syntax(url, allow_private)
    except UnsafeDestination as refused:
        code = "INVALID_URL" if refused.code == INVALID_URL else "UNSAFE_URL"
        return [Issue(code, refused.message, ("url",))]
    return []


def _enabled_events_issues(entries: Sequence[str]) -> list[Issue]:
    if len(entries) > MAX_ENABLED_EVENTS:
        return [
            Issue(
                "VALUE_OUT_OF_RANGE",
                f"At most {MAX_ENABLED_EVENTS} entries.",
                ("enabledEvents",),
            )
        ]
    unknown = set(unknown_entries(entries, set(catalogue.all_refs()), set(catalogue.all_groups())))
    return [
        Issue(
            "ENABLED_EVENT_UNKNOWN",
            f"{entry!r} matches no event ref, ref prefix or event group of the catalogue "
            "(use '*', a ref such as 'shipments/delivered', or a group such as "
            "'shipment_delivered').",
            ("enabledEvents", index),
        )
        for index, entry in enumerate(entries)
        if entry in unknown
    ]


def _description_issues(description: str | None) -> list[Issue]:
    if description is not None and len(description) > MAX_DESCRIPTION_LENGTH:
        return [
            Issue(
                "VALUE_TOO_LONG", f"At most {MAX_DESCRIPTION_LENGTH} characters.", ("description",)
            )
        ]
    return []


def _raise_if(issues: list[Issue]) -> None:
    if issues:
        raise Rejected(issues)


async def create(
    session: AsyncSession,
    *,
    shop: Shop,
    url: str,
    enabled_events: Sequence[str] | None,
    description: str | None,
    now: datetime,
    allow_private: bool,
    format: WebhookFormat = WebhookFormat.STANDARD,
    status: WebhookStatus = WebhookStatus.ACTIVE,
) -> IssuedSecret:
    """Subscribe `url` to the events `enabled_events` selects (omitted: every event).

    `format` is how its deliveries look and are signed; each face passes its own default.
    """
    entries = list(enabled_events) if enabled_events is not None else [ALL_EVENTS]
    url = url.strip()
    _raise_if(
        _url_issues(url, allow_private)
        + _enabled_events_issues(entries)
        + _description_issues(description)
    )
    secret = generate_secret()
    webhook = Webhook(
        shop_id=shop.id,
        url=url,
        enabled_events=entries,
        description=description,
        status=status.value,
        format=format.value,
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
    now: datetime,
    allow_private: bool,
    url: str | None = None,
    enabled_events: Sequence[str] | None = None,
    description: str | None = None,
    status: WebhookStatus | None = None,
    format: WebhookFormat | None = None,
) -> Webhook:
    """Change what is given (None leaves a field as it is; an empty description clears it).

    Reactivating an INACTIVE webhook clears its failure counter and reason; its deliveries
    still pending are then sent again. Deactivating keeps them pending, unsent.
    """
    url = url.strip() if url is not None else None
    entries = list(enabled_events) if enabled_events is not None else None
    _raise_if(
        (_url_issues(url, allow_private) if url is not None else [])
        + (_enabled_events_issues(entries) if entries is not None else [])
        + _description_issues(description)
    )
    webhook = await get(session, shop_id=shop.id, webhook_id=webhook_id, lock=True)
    if url is not None:
        webhook.url = url
    if entries is not None:
        webhook.enabled_events = entries
    if format is not None:
        webhook.format = format.value
    if description is not None:
        webhook.description = description or None
    if status is not None and status.value != webhook.status:
        webhook.status = status.value
        if status is WebhookStatus.ACTIVE:
            webhook.consecutive_failures = 0
            webhook.disabled_reason = None
        else:
            webhook.disabled_reason = DEACTIVATED_BY_ADMIN
    webhook.updated_at = now
    session.add(webhook)
    await session.flush()
    return webhook


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
