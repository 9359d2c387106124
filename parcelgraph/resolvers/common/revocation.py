"""Revoking a credential (an API key or an order token): at once, and only once."""

from datetime import datetime
from typing import TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import ApiKey, OrderToken

Credential = TypeVar("Credential", ApiKey, OrderToken)


async def revoke(session: AsyncSession, credential: Credential, now: datetime) -> Credential:
    """Mark `credential` revoked at `now`; every later request with it is refused. Revoking
    twice keeps the first time, so the row says when it stopped working. The caller commits."""
    if credential.revoked_at is None:
        credential.revoked_at = now
        session.add(credential)
        await session.flush()
    return credential
