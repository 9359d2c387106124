"""The delivery log of a webhook: manual redelivery, test pings, and paged reads.

A redelivery is a new delivery row for the same event: it sends the very same body (the
stored envelope) with the same event id, so a receiver that de-duplicates by id treats it
as the event it may already have; the original delivery and its attempts stay in the log.
"""

import base64
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, tuple_
from sqlalchemy.orm import aliased
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.enums import DeliveryStatus
from parcelgraph.domain.errors import Issue, NotFound
from parcelgraph.models import Shop, Webhook, WebhookAttempt, WebhookDelivery
from parcelgraph.resolvers import webhooks
from parcelgraph.resolvers.common.loaders import aligned, children, fetcher

TEST_SOURCE = "test"
TEST_REF = "test/ping"


def _owed(session: AsyncSession, count: int) -> None:
    # Read after commit by the outbox's wake-up hook (resolvers/outbox.py).
    session.info["outbox_written"] = session.info.get("outbox_written", 0) + count


def _new_delivery(
    template: WebhookDelivery | Webhook, now: datetime, **fields: Any
) -> WebhookDelivery:
    return WebhookDelivery(
        shop_id=template.shop_id,
        status=DeliveryStatus.PENDING.value,
        attempt_count=0,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
        **fields,
    )


async def get(
    session: AsyncSession, *, shop_id: uuid.UUID, delivery_id: uuid.UUID
) -> WebhookDelivery:
    """The shop's delivery, or NotFound (DELIVERY_NOT_FOUND)."""
    stmt = select(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.shop_id == shop_id
    )
    delivery = (await session.exec(stmt)).first()
    if delivery is None:
        raise NotFound(
            [Issue("DELIVERY_NOT_FOUND", "No webhook delivery with that id in this shop.", ("id",))]
        )
    return delivery


async def redeliver(
    session: AsyncSession, *, shop: Shop, delivery_id: uuid.UUID, now: datetime
) -> WebhookDelivery:
    """Owe the delivery's event (or test ping) to its webhook again: a fresh attempt cycle.

    Sent once the webhook is ACTIVE (at once when it is).
    """
    original = await get(session, shop_id=shop.id, delivery_id=delivery_id)
    delivery = _new_delivery(
        original,
        now,
        webhook_id=original.webhook_id,
        event_position=original.event_position,
        event_id=original.event_id,
        test_body=original.test_body,
    )
    session.add(delivery)
    await session.flush()
    _owed(session, 1)
    return delivery


def test_envelope(shop: Shop, webhook: Webhook, test_id: uuid.UUID, now: datetime) -> str:
    """The body of a test ping: the envelope's shape, with `source` "test"."""
    envelope = {
        "id": str(test_id),
        "source": TEST_SOURCE,
        "ref": TEST_REF,
        "version": 1,
        "triggered_at": now.isoformat(),
        "event_group": "test",
        "event_data": {
            "message": "A test delivery from parcelgraph: if you can verify this signature, "
            "your endpoint is ready.",
            "webhook_id": str(webhook.id),
        },
        "context": {"order": None, "customer": None, "shipments": [], "claims": []},
        "shop_slug": shop.slug,
        "sequence": 0,
        "position": 0,
    }
    return json.dumps(envelope, separators=(",", ":"))


async def send_test(
    session: AsyncSession, *, shop: Shop, webhook_id: uuid.UUID, now: datetime
) -> WebhookDelivery:
    """Owe the webhook a signed test ping (retried like any delivery)."""
    webhook = await webhooks.get(session, shop_id=shop.id, webhook_id=webhook_id)
    test_id = uuid.uuid4()
    delivery = _new_delivery(
        webhook,
        now,
        webhook_id=webhook.id,
        event_id=test_id,
        test_body=test_envelope(shop, webhook, test_id, now),
    )
    session.add(delivery)
    await session.flush()
    _owed(session, 1)
    return delivery


# --- paged reads --------------------------------------------------------------------


class InvalidCursor(ValueError):
    """An `after` cursor that this connection did not hand out."""


def encode_cursor(delivery: WebhookDelivery) -> str:
    """An opaque keyset cursor: the delivery's (created_at, id)."""
    raw = f"d:{delivery.created_at.isoformat()}|{delivery.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    """The (created_at, id) of a cursor, or InvalidCursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        stamp, _, ident = raw.removeprefix("d:").partition("|")
        created_at = datetime.fromisoformat(stamp)
        if not raw.startswith("d:") or created_at.tzinfo is None:
            raise ValueError(raw)
        return created_at, uuid.UUID(ident)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor("not a delivery cursor") from exc


@dataclass(frozen=True)
class PageKey:
    """One webhook's page request: newest first, `first` rows after `after`."""

    webhook_id: uuid.UUID
    first: int
    after: tuple[datetime, uuid.UUID] | None = None
    status: DeliveryStatus | None = None


@dataclass(frozen=True)
class Page:
    """A page of deliveries and whether more follow."""

    rows: list[WebhookDelivery]
    has_next_page: bool


async def _pages_sharing(
    session: AsyncSession, webhook_ids: list[uuid.UUID], first: int, after: Any, status: Any
) -> dict[uuid.UUID, list[WebhookDelivery]]:
    # One query for every webhook: number each webhook's rows newest first, keep first + 1.
    order = (WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())  # type: ignore[attr-defined]
    rank = func.row_number().over(partition_by=WebhookDelivery.webhook_id, order_by=order)
    inner = select(WebhookDelivery, rank.label("rank")).where(
        WebhookDelivery.webhook_id.in_(webhook_ids)  # type: ignore[attr-defined]
    )
    if status is not None:
        inner = inner.where(WebhookDelivery.status == status.value)
    if after is not None:
        inner = inner.where(tuple_(WebhookDelivery.created_at, WebhookDelivery.id) < tuple_(*after))
    numbered = inner.subquery()
    row = aliased(WebhookDelivery, numbered)
    stmt = select(row).where(numbered.c.rank <= first + 1).order_by(numbered.c.rank)
    by_webhook: dict[uuid.UUID, list[WebhookDelivery]] = {}
    for delivery in (await session.exec(stmt)).all():
        by_webhook.setdefault(delivery.webhook_id, []).append(delivery)
    return by_webhook


@fetcher("delivery_page_by_key")
async def pages(session: AsyncSession, keys: Sequence[PageKey]) -> list[Page]:
    """Pages for many webhooks; one SELECT per distinct (first, after, status)."""
    shapes: dict[tuple[Any, ...], list[uuid.UUID]] = {}
    for key in keys:
        shapes.setdefault((key.first, key.after, key.status), []).append(key.webhook_id)
    found: dict[PageKey, Page] = {}
    for (first, after, status), ids in shapes.items():
        rows = await _pages_sharing(session, ids, first, after, status)
        for webhook_id in ids:
            mine = rows.get(webhook_id, [])
            key = PageKey(webhook_id, first, after, status)
            found[key] = Page(mine[:first], len(mine) > first)
    return [found[key] for key in keys]


@fetcher("attempts_by_delivery_id")
async def attempts_by_delivery_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """The attempt log of each delivery, oldest first."""
    return await children(
        session, keys, WebhookAttempt, "delivery_id", WebhookAttempt.attempt_number
    )


@fetcher("webhook_by_id")
async def webhook_by_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Webhooks by id (keys come from already-scoped deliveries)."""
    stmt = select(Webhook).where(Webhook.id.in_(keys))  # type: ignore[attr-defined]
    return aligned(keys, (await session.exec(stmt)).all(), lambda w: w.id)
