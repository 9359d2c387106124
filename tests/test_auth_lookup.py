"""The credential lookups themselves: one statement per request, and every call reads the
database, so a key or token revoked by another process sharing only the database is refused
on the very next call (no cache in between)."""

import uuid
from datetime import timedelta

import pytest

from parcelgraph.auth import (
    ApiKeyPrincipal,
    AuthError,
    CustomerPrincipal,
    authenticate,
    parse_authorization,
    still_valid,
)
from parcelgraph.db import Database
from parcelgraph.domain.enums import Role
from parcelgraph.resolvers import shops, tokens
from tests.support import Caller, count_statements


@pytest.fixture
async def other_process(database_url: str):  # type: ignore[no-untyped-def]
    """A second Database on the same data: what `parcelgraph key revoke` would open."""
    other = Database(database_url, null_pool=True)
    yield other
    await other.dispose()


async def _key_id(db: Database, slug: str) -> uuid.UUID:
    async with db.reader() as session:
        return (await shops.list_api_keys(session, shop_slug=slug))[0].id


async def test_a_key_lookup_is_one_statement_and_gives_the_principal(
    shop: Caller, db: Database, clock
) -> None:  # type: ignore[no-untyped-def]
    credentials = parse_authorization(shop.authorization)
    with count_statements(db) as counter:
        found, principal = await authenticate(db, "acme", credentials, clock())
    assert counter.count == 1
    assert found is not None and found.slug == "acme" and found.currency == "EUR"
    assert principal == ApiKeyPrincipal(
        key_id=await _key_id(db, "acme"), name="acme-admin", role=Role.ADMIN, platform=False
    )


async def test_a_key_revoked_by_another_process_is_refused_on_the_next_call(
    shop: Caller, db: Database, clock, other_process: Database
) -> None:  # type: ignore[no-untyped-def]
    credentials = parse_authorization(shop.authorization)
    _, principal = await authenticate(db, "acme", credentials, clock())
    assert await still_valid(db, principal, clock()) is True
    async with other_process.writer() as session:
        await shops.revoke_api_key(session, key_id=await _key_id(db, "acme"), now=clock())
        await session.commit()
    with pytest.raises(AuthError) as refused:
        await authenticate(db, "acme", credentials, clock())
    assert (refused.value.status, refused.value.message) == (401, "Invalid API key.")
    assert await still_valid(db, principal, clock()) is False


async def test_a_key_that_no_longer_exists_is_not_valid(shop: Caller, db: Database, clock) -> None:  # type: ignore[no-untyped-def]
    gone = ApiKeyPrincipal(key_id=uuid.uuid4(), name="acme-admin", role=Role.ADMIN, platform=False)
    assert await still_valid(db, gone, clock()) is False


async def test_an_order_token_is_refused_once_revoked_or_expired(
    shop: Caller, db: Database, clock, factory, other_process: Database
) -> None:  # type: ignore[no-untyped-def]
    order = await factory.order(await factory.shop("acme"), "1001")
    credentials = parse_authorization(await factory.token(order, days=1))
    found, principal = await authenticate(db, "acme", credentials, clock())
    assert found is not None and found.slug == "acme"
    assert isinstance(principal, CustomerPrincipal) and principal.order_id == order.id
    assert principal.expires_at == clock() + timedelta(days=1)
    assert await still_valid(db, principal, clock() + timedelta(hours=23)) is True
    assert await still_valid(db, principal, clock() + timedelta(days=1)) is False
    async with other_process.writer() as session:
        shop_row = await shops.get_by_slug(session, slug="acme")
        assert shop_row is not None
        await tokens.revoke(session, shop=shop_row, token_id=principal.token_id, now=clock())
        await session.commit()
    assert await still_valid(db, principal, clock()) is False
    with pytest.raises(AuthError) as refused:
        await authenticate(db, "acme", credentials, clock())
    assert refused.value.status == 401
