"""Helpers the tests share: a GraphQL client bound to a shop and credentials, a frozen
clock, and a SQL statement counter."""

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import event

from parcelgraph.db import Database


class FrozenClock:
    """An injectable clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        """Move forward by a timedelta's keyword arguments (days=, hours=, seconds=...)."""
        self.current += timedelta(**delta)
        return self.current


def basic(username: str, secret: str) -> str:
    """An Authorization header value for HTTP Basic."""
    return "Basic " + base64.b64encode(f"{username}:{secret}".encode()).decode()


@dataclass
class Caller:
    """Someone calling one shop's GraphQL endpoint with fixed credentials."""

    http: httpx.AsyncClient
    slug: str
    authorization: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return f"/v1/shops/{self.slug}/graphql"

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        """POST a GraphQL request and return the raw HTTP response."""
        headers = dict(self.headers)
        if self.authorization:
            headers["Authorization"] = self.authorization
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return await self.http.post(self.path, json=body, headers=headers)

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The full GraphQL response body (data and errors)."""
        return (await self.post(query, variables)).json()

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of a response that must have no top-level errors."""
        response = await self.post(query, variables)
        body = response.json()
        assert "errors" not in body, body.get("errors")
        assert response.status_code == 200, body
        return body["data"]

    def as_(self, authorization: str | None) -> "Caller":
        """The same shop, other credentials."""
        return Caller(self.http, self.slug, authorization, dict(self.headers))


@dataclass
class StatementCounter:
    """Counts SQL statements sent to the database (BEGIN/COMMIT/PRAGMA excluded)."""

    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    def _record(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        head = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if head not in {"BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE"}:
            self.statements.append(statement)


@contextmanager
def count_statements(db: Database) -> Iterator[StatementCounter]:
    """Count statements on every engine of `db` inside the block."""
    counter = StatementCounter()
    for engine in db.engines:
        event.listen(engine.sync_engine, "before_cursor_execute", counter._record)
    try:
        yield counter
    finally:
        for engine in db.engines:
            event.remove(engine.sync_engine, "before_cursor_execute", counter._record)


def issue_key_sync(
    database_url: str, slug: str, role: str = "ADMIN", *, platform: bool = False
) -> str:
    """Create shop `slug` if needed and a key for it; return the Basic header (sync tests).

    For tests that drive the app through Starlette's TestClient (WebSockets), which runs its
    own event loop: setup then happens on a short loop of its own.
    """
    import asyncio

    from parcelgraph.domain.enums import Role
    from parcelgraph.resolvers import shops

    async def work() -> str:
        db = Database(database_url, null_pool=True)
        try:
            async with db.writer() as session:
                if await shops.get_by_slug(session, slug=slug) is None:
                    await shops.create(session, slug=slug, now=datetime.now(UTC))
                issued = await shops.create_api_key(
                    session,
                    shop_slug="*" if platform else slug,
                    role=Role(role),
                    name=f"{slug}-{role.lower()}",
                    now=datetime.now(UTC),
                )
                await session.commit()
            return basic(issued.key.name, issued.secret)
        finally:
            await db.dispose()

    return asyncio.run(work())
