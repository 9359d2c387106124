"""The demo shop's admin key: minted by the first `parcelgraph demo`, reused by later runs.

Only a digest of a key is stored in the database, so the demo keeps the secret it printed
in a file of its own (the CLI reads and writes it; this module only checks and mints). A
later run reuses that key while it is still active; when the file is gone or its key was
revoked, the earlier demo keys are revoked (so the old ones stop working) and a new one is
minted. Either way the caller learns exactly what happened.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.auth import digest
from parcelgraph.domain.enums import Role
from parcelgraph.models import ApiKey, Shop
from parcelgraph.resolvers import shops


@dataclass(frozen=True)
class StoredKey:
    """What the demo remembers of its key between runs."""

    key_id: uuid.UUID
    username: str
    secret: str


@dataclass(frozen=True)
class DemoKey:
    """The key to print, whether it was reused, and which older demo keys were revoked."""

    stored: StoredKey
    reused: bool
    revoked: list[uuid.UUID] = field(default_factory=list)


def _is_demo_key(key: ApiKey, shop: Shop) -> bool:
    return key.shop_id == shop.id and key.name == shop.slug and key.role == Role.ADMIN.value


async def ensure(
    session: AsyncSession, *, shop: Shop, stored: StoredKey | None, now: datetime
) -> DemoKey:
    """Reuse `stored` if it is still an active key of `shop`, else revoke the shop's earlier
    demo keys and mint a new one. The caller commits."""
    active = [
        key
        for key in await shops.list_api_keys(session, shop_slug=shop.slug)
        if key.revoked_at is None and _is_demo_key(key, shop)
    ]
    if stored is not None:
        for key in active:
            if key.id == stored.key_id and key.secret_hash == digest(stored.secret):
                return DemoKey(stored=stored, reused=True)
    revoked = []
    for key in active:
        await shops.revoke_api_key(session, key_id=key.id, now=now)
        revoked.append(key.id)
    issued = await shops.create_api_key(
        session, shop_slug=shop.slug, role=Role.ADMIN, name=shop.slug, now=now
    )
    fresh = StoredKey(key_id=issued.key.id, username=issued.key.name, secret=issued.secret)
    return DemoKey(stored=fresh, reused=False, revoked=revoked)
