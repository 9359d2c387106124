"""The per-request (or per-WebSocket-connection) context every GraphQL field receives.

It carries who is calling (principal) on which shop, the clock, the database and broker,
and the request's DataLoaders. Writes go through `transaction()`, which commits and then
publishes the committed events, in that order.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from parcelgraph.auth import AnonymousPrincipal, ApiKeyPrincipal, CustomerPrincipal, Principal
from parcelgraph.config import Settings
from parcelgraph.db import Database
from parcelgraph.models import Shop
from parcelgraph.pubsub import Broker, publish_committed
from parcelgraph.resolvers.read_graph import FETCHERS

Clock = Callable[[], datetime]


class RequestReads:
    """The one read session of an HTTP request, lent to one task at a time.

    A request reads through ONE connection: DataLoader batches and root fields take turns
    on it (an AsyncSession must never be used by concurrent tasks), which
    saves a pool checkout, a reset and several aiosqlite thread hops per batch. Each turn
    ends by expunging what it loaded, so a later statement of the same request (after a
    mutation committed through the writer) reads fresh rows instead of the identity map's.
    The request's context dependency closes it when the response is done.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = asyncio.Lock()
        self._opened: AbstractAsyncContextManager[AsyncSession] | None = None
        self._session: AsyncSession | None = None

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """The request's read session, exclusively for the duration of the block."""
        async with self._lock:
            if self._session is None:
                self._opened = self._db.reader()
                self._session = await self._opened.__aenter__()
            try:
                yield self._session
            finally:
                self._session.expunge_all()

    async def close(self) -> None:
        """Return the connection to the pool (safe to call when nothing was opened)."""
        async with self._lock:
            opened, self._opened, self._session = self._opened, None, None
            if opened is not None:
                await opened.__aexit__(None, None, None)


class Loaders:
    """DataLoaders of one request, created on first use from the registered fetchers."""

    def __init__(self, db: Database, reads: RequestReads | None = None) -> None:
        self._db = db
        self._reads = reads
        self._loaders: dict[str, DataLoader[Any, Any]] = {}

    def __getattr__(self, name: str) -> DataLoader[Any, Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        loader = self._loaders.get(name)
        if loader is None:
            fetch = FETCHERS.get(name)
            if fetch is None:
                raise AttributeError(f"no loader named {name!r}")
            loader = DataLoader(load_fn=self._batch(fetch), max_batch_size=500)
            self._loaders[name] = loader
        return loader

    def _batch(self, fetch: Any) -> Any:
        # Without request reads (a WebSocket connection's context lives as long as the
        # socket, too long to hold a connection), each batch gets its own short session.
        open_session = self._reads.session if self._reads is not None else self._db.reader

        async def load(keys: list[Any]) -> list[Any]:
            async with open_session() as session:
                return await fetch(session, keys)

        return load


class Context(BaseContext):
    """Everything a field needs, resolved once per request."""

    def __init__(
        self,
        *,
        settings: Settings,
        db: Database,
        broker: Broker,
        clock: Clock,
        shop: Shop | None,
        principal: Principal,
        services: dict[str, Any] | None = None,
        reads: RequestReads | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.db = db
        self.broker = broker
        self.clock = clock
        self.shop = shop
        self.principal = principal
        self.services = services or {}
        self.reads = reads
        self.loaders = Loaders(db, reads)

    @classmethod
    def for_caller(
        cls,
        shared: Any,
        *,
        shop: Shop | None,
        principal: Principal,
        services: dict[str, Any],
        reads: RequestReads | None = None,
    ) -> "Context":
        """A context for one caller on the process's shared services.

        `shared` is the app's state, or the MCP runner's services: any object with the
        `settings`, `db`, `broker` and `clock` every face hands its use cases alike.
        """
        return cls(
            settings=shared.settings,
            db=shared.db,
            broker=shared.broker,
            clock=shared.clock,
            shop=shop,
            principal=principal,
            services=services,
            reads=reads,
        )

    def now(self) -> datetime:
        """The injected clock's current time (UTC)."""
        return self.clock()

    def fresh_loaders(self) -> Loaders:
        """New loaders with empty caches (subscriptions load each event afresh)."""
        return Loaders(self.db, self.reads)

    def reader(self) -> AbstractAsyncContextManager[AsyncSession]:
        """A read session for a root field: the request's shared one when there is one."""
        return self.reads.session() if self.reads is not None else self.db.reader()

    @property
    def api_key(self) -> ApiKeyPrincipal | None:
        """The API key principal, if the caller is a merchant integration."""
        return self.principal if isinstance(self.principal, ApiKeyPrincipal) else None

    @property
    def customer(self) -> CustomerPrincipal | None:
        """The order-token principal, if the caller is a customer."""
        return self.principal if isinstance(self.principal, CustomerPrincipal) else None

    @property
    def is_anonymous(self) -> bool:
        """True when no credentials were presented."""
        return isinstance(self.principal, AnonymousPrincipal)

    @property
    def shop_id(self) -> Any:
        """The URL's shop id (fields that run have passed auth, so the shop exists)."""
        if self.shop is None:
            raise LookupError("no shop in this context")
        return self.shop.id

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One write transaction: commit on success, then publish its events."""
        async with self.db.writer() as session:
            yield session
            await session.commit()
        await publish_committed(self.broker, session.info)
