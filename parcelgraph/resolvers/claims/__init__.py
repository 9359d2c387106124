"""Claim use cases: file a claim (merchant key or the order's customer) and move it along.

Both write in the caller's transaction and append `CLAIM_CREATED` / `CLAIM_UPDATED` through
the event log there, so a committed claim always has its event and its webhook outbox rows,
and a refused one has neither. Eligibility is decided by the shipment's stored state (the
cached fold of its events) through `domain.claim_rules`; one open claim per (shipment,
reason) is enforced by the database's partial unique index, not by a racy check.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.config import Settings
from parcelgraph.domain import catalogue, claim_rules
from parcelgraph.domain.enums import ClaimCreator, ClaimReason, ClaimStatus, EventSource
from parcelgraph.domain.errors import Issue, Rejected
from parcelgraph.models import Claim, ClaimItem, Order, Shipment, Shop
from parcelgraph.resolvers.claims import lookup
from parcelgraph.resolvers.claims.inputs import ClaimInput, event_data, validate_static
from parcelgraph.resolvers.claims.options import facts
from parcelgraph.resolvers.common import event_log

NET_PRICE_STEP = Decimal("0.0001")
CREATED = catalogue.get("CLAIM_CREATED")
UPDATED = catalogue.get("CLAIM_UPDATED")


@dataclass(frozen=True)
class ClaimPolicy:
    """The configurable limits of claims (from Settings)."""

    not_received_after_days: int = 7
    description_max_length: int = 5000

    @classmethod
    def from_settings(cls, settings: Settings) -> "ClaimPolicy":
        """The limits the server is configured with (every face files claims under them)."""
        return cls(
            not_received_after_days=settings.not_received_after_days,
            description_max_length=settings.claim_description_max_length,
        )


def _claim_row(
    shop: Shop,
    order: Order,
    shipment: Shipment,
    claim: ClaimInput,
    creator: ClaimCreator,
    now: datetime,
) -> Claim:
    return Claim(
        shop_id=shop.id,
        order_id=order.id,
        shipment_id=shipment.id,
        reason=claim.reason,
        status=ClaimStatus.PENDING.value,
        resolution_preference=claim.resolution_preference,
        description=claim.description,
        image_urls=list(claim.image_urls),
        optional_image_urls=list(claim.optional_image_urls),
        customer_signature_image_url=claim.customer_signature_image_url,
        dropoff_permission=claim.dropoff_permission,
        created_by=creator.value,
        created_at=now,
        updated_at=now,
    )


async def _lock(session: AsyncSession, shop: Shop) -> None:
    # The event log's per-shop lock, taken first (as order writes do): reads then see every
    # committed write, and no row lock is held while waiting for it (no deadlock at append).
    await event_log.lock_shop_writes(session, shop.id)


def _is_duplicate(error: IntegrityError) -> bool:
    text = str(error.orig)
    return "uq_claims_open_per_reason" in text or "claims.shipment_id, claims.reason" in text


Contents = dict[str, tuple[int, uuid.UUID]]


async def create(
    session: AsyncSession,
    *,
    shop: Shop,
    claim: ClaimInput,
    policy: ClaimPolicy,
    now: datetime,
    customer_order_id: uuid.UUID | None = None,
) -> Claim:
    """File a claim; `customer_order_id` is set when an order token files it (scoped to it).

    Raises Rejected with every problem found; nothing is written then.
    """
    await _lock(session, shop)
    order, shipment, contents = await _checked(session, shop, claim, policy, now, customer_order_id)
    creator = ClaimCreator.CUSTOMER if customer_order_id else ClaimCreator.MERCHANT
    row = _claim_row(shop, order, shipment, claim, creator, now)
    await _insert(session, row)
    items = _items(row, claim, contents)
    if items:
        await session.exec(  # type: ignore[call-overload]
            insert(ClaimItem), params=[item.model_dump() for item in items]
        )
    await _append(session, shop, row, items, CREATED, now)
    return row


async def _checked(
    session: AsyncSession,
    shop: Shop,
    claim: ClaimInput,
    policy: ClaimPolicy,
    now: datetime,
    customer_order_id: uuid.UUID | None,
) -> tuple[Order, Shipment, Contents]:
    """The order, shipment and contents the claim names, or Rejected with every problem."""
    issues = validate_static(claim, description_max_length=policy.description_max_length)
    order, found = await lookup.find_order(session, shop, claim, customer_order_id)
    issues += found
    shipment = None
    contents: Contents = {}
    if order is not None:
        shipment, found = await lookup.find_shipment(session, order, claim)
        issues += found
    if shipment is not None:
        issues += _eligibility(shipment, claim, policy, now)
        contents = await lookup.contents(session, shipment) if claim.selected_items else {}
        issues += lookup.item_issues(claim, contents)
    if issues:
        raise Rejected(issues)
    assert order is not None and shipment is not None
    return order, shipment, contents


def _eligibility(
    shipment: Shipment, claim: ClaimInput, policy: ClaimPolicy, now: datetime
) -> list[Issue]:
    why_not = claim_rules.why_not_eligible(
        ClaimReason(claim.reason),
        facts(shipment),
        now=now,
        not_received_after_days=policy.not_received_after_days,
    )
    return [] if why_not is None else [Issue("CLAIM_NOT_ELIGIBLE", why_not, ("reason",))]


async def _insert(session: AsyncSession, row: Claim) -> None:
    # The partial unique index decides "one open claim per reason", not a racy read first.
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as error:
        if not _is_duplicate(error):
            raise
        message = f"This shipment already has an open {row.reason} claim."
        raise Rejected.one("DUPLICATE_CLAIM", message, "reason") from None


def _items(row: Claim, claim: ClaimInput, contents: Contents) -> list[ClaimItem]:
    return [
        ClaimItem(
            claim_id=row.id,
            line_item_id=contents[item.sku][1],
            sku=item.sku,
            title=item.title,
            quantity=item.quantity,
            # As the Money column returns it, so the event and the envelope agree.
            net_price=None if item.net_price is None else item.net_price.quantize(NET_PRICE_STEP),
            image_urls=list(item.image_urls),
        )
        for item in claim.selected_items
    ]


async def _append(
    session: AsyncSession,
    shop: Shop,
    claim: Claim,
    items: list[ClaimItem],
    definition: catalogue.EventDefinition,
    now: datetime,
) -> None:
    action = definition.ref.split("/", 1)[1]
    # Claim events carry no shipment_id: the shipment's own timeline (latest event, the
    # fold, silence for NOT_RECEIVED) must only hear from the carrier. The claim links them.
    await event_log.append(
        session,
        shop=shop,
        events=[
            event_log.NewEvent(
                order_id=claim.order_id,
                source=EventSource.CLAIMS.value,
                ref=definition.ref,
                event_name=definition.name,
                event_group=definition.group.value,
                occurred_at=now,
                claim_id=claim.id,
                data=event_data(claim, items, action=action, group=definition.group.value),
            )
        ],
        now=now,
    )


async def update(
    session: AsyncSession,
    *,
    shop: Shop,
    claim_id: uuid.UUID,
    status: str | None = None,
    resolution_preference: str | None = None,
    now: datetime,
) -> Claim:
    """Move a claim along the status machine and/or change the resolution preference.

    Emits CLAIM_UPDATED when something changed; an update that changes nothing returns the
    claim as it is, without an event.
    """
    await _lock(session, shop)
    stmt = select(Claim).where(Claim.id == claim_id, Claim.shop_id == shop.id)
    claim = (await session.exec(stmt)).first()
    if claim is None:
        raise Rejected.one("CLAIM_NOT_FOUND", "No such claim in this shop.", "id")
    if status is not None:
        why_not = claim_rules.why_not_transition(ClaimStatus(claim.status), ClaimStatus(status))
        if why_not is not None:
            raise Rejected.one("INVALID_STATUS_TRANSITION", why_not, "status")
    changed = False
    if status is not None:
        claim.status, changed = status, True
    if resolution_preference is not None and resolution_preference != claim.resolution_preference:
        claim.resolution_preference, changed = resolution_preference, True
    if not changed:
        return claim
    claim.updated_at = now
    session.add(claim)
    await session.flush()
    items = list(
        (await session.exec(select(ClaimItem).where(ClaimItem.claim_id == claim.id))).all()
    )
    await _append(session, shop, claim, items, UPDATED, now)
    return claim
