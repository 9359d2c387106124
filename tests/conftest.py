"""Fixtures: settings on a fresh database (SQLite always, PostgreSQL when configured), the
app with an injected clock, an HTTP client, and factories for shops and keys.

Set PARCELGRAPH_TEST_DATABASE_URL (postgresql+asyncpg://...) to run every database test on
PostgreSQL as well, and PARCELGRAPH_TEST_REDIS_URL for the Redis tests. Without them those
variants are skipped with the reason shown in the summary.
"""

import logging
import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

from parcelgraph.app import create_app
from parcelgraph.config import Settings
from parcelgraph.db import Database
from parcelgraph.domain.enums import Role
from parcelgraph.migrate import upgrade
from parcelgraph.resolvers import shops
from tests.support import Caller, FrozenClock, basic

POSTGRES_URL = os.environ.get("PARCELGRAPH_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("PARCELGRAPH_TEST_REDIS_URL")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


REQUIRE_SERVICES = os.environ.get("PARCELGRAPH_TEST_REQUIRE_SERVICES") == "1"


def _reachable(url: str, default_port: int) -> bool:
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("+asyncpg", ""))
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 3
        ):
            return True
    except OSError:
        return False


def pytest_sessionstart(session: pytest.Session) -> None:
    """In CI (PARCELGRAPH_TEST_REQUIRE_SERVICES=1) missing services fail the run, not skip."""
    if not REQUIRE_SERVICES:
        return
    problems = []
    if not POSTGRES_URL or not _reachable(POSTGRES_URL, 5432):
        problems.append(f"PostgreSQL unreachable or unset: {POSTGRES_URL!r}")
    if not REDIS_URL or not _reachable(REDIS_URL, 6379):
        problems.append(f"Redis unreachable or unset: {REDIS_URL!r}")
    if problems:
        pytest.exit("required test services missing: " + "; ".join(problems), returncode=3)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_pg = pytest.mark.skip(reason="PostgreSQL: set PARCELGRAPH_TEST_DATABASE_URL to run")
    skip_redis = pytest.mark.skip(reason="Redis: set PARCELGRAPH_TEST_REDIS_URL to run")
    for item in items:
        if "postgres" in item.keywords and not POSTGRES_URL:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not REDIS_URL:
            item.add_marker(skip_redis)


# Where the server reports errors nobody expected: the masking extension's one log line per
# unexpected error, and strawberry's own error logging (WebSocket handlers).
UNEXPECTED_ERROR_LOGGERS = ("parcelgraph.errors", "strawberry.execution")


class _ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_unexpected_server_errors(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Fail any test during which the server logged an unexpected error, unless the test is
    marked `expects_server_error` (it provokes one on purpose)."""
    handler = _ErrorRecords()
    loggers = [logging.getLogger(name) for name in UNEXPECTED_ERROR_LOGGERS]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("expects_server_error") is None:
        lines = "\n".join(record.getMessage() for record in handler.records)
        pytest.fail(f"the server logged unexpected errors during this test:\n{lines}")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied per test (migrating once keeps the suite fast)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    """The test PostgreSQL database, reset and migrated once per session."""
    assert POSTGRES_URL, "PostgreSQL tests need PARCELGRAPH_TEST_DATABASE_URL"
    import asyncio

    async def reset() -> None:
        engine = create_async_engine(POSTGRES_URL)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()

    asyncio.run(reset())
    upgrade(POSTGRES_URL)
    return POSTGRES_URL


def truncate_postgres(url: str) -> None:
    """Empty every table between tests (much faster than re-migrating)."""
    import asyncio

    import parcelgraph.models  # noqa: F401

    names = ", ".join(t.name for t in SQLModel.metadata.sorted_tables)

    async def truncate() -> None:
        engine = create_async_engine(url)
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        await engine.dispose()

    asyncio.run(truncate())


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Which database this test runs on."""
    return request.param


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A fresh, migrated, empty database for one test (a sync fixture: no loop is running)."""
    if backend == "postgres":
        url = request.getfixturevalue("postgres_migrated")
        truncate_postgres(url)
        return url
    template = request.getfixturevalue("sqlite_template")
    path = tmp_path / "parcelgraph.db"
    shutil.copyfile(template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def clock() -> FrozenClock:
    """The app's clock; tests move it explicitly."""
    return FrozenClock()


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    """Override in a test module to change settings for its tests."""
    return {}


@pytest.fixture
def settings(database_url: str, tmp_path: Path, settings_overrides: dict[str, object]) -> Settings:
    """Settings for a test app: its own database, background services off."""
    values: dict[str, object] = {
        "data_dir": tmp_path,
        "database_url": database_url,
        "database_null_pool": True,
        "graphql_ide": False,
        "run_webhook_worker": False,
        "run_carrier_poller": False,
        "webhook_allow_private_urls": True,
        "broker_url": None,
    }
    values.update(settings_overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def app(settings: Settings, clock: FrozenClock):  # type: ignore[no-untyped-def]
    """The application under test."""
    return create_app(settings, clock=clock)


@pytest.fixture
async def http(app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """An HTTP client talking to the app in-process, with the lifespan running."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


@pytest.fixture
def db(app, http) -> Database:  # type: ignore[no-untyped-def]
    """The app's database (available once the lifespan runs)."""
    return app.state.db


MakeShop = Callable[..., Awaitable[Caller]]


@pytest.fixture
def make_shop(http: httpx.AsyncClient, db: Database, clock: FrozenClock) -> MakeShop:
    """Create a shop and an API key; return a Caller for it.

    `await make_shop("acme", role=Role.EDITOR, currency="EUR")`
    """

    async def make(slug: str = "acme", *, role: Role = Role.ADMIN, currency: str = "EUR") -> Caller:
        async with db.writer() as session:
            if await shops.get_by_slug(session, slug=slug) is None:
                await shops.create(session, slug=slug, currency=currency, now=clock())
            issued = await shops.create_api_key(
                session, shop_slug=slug, role=role, name=f"{slug}-{role.value.lower()}", now=clock()
            )
            await session.commit()
        return Caller(http, slug, basic(issued.key.name, issued.secret))

    return make


@pytest.fixture
async def shop(make_shop: MakeShop) -> Caller:
    """Shop `acme` with an admin key."""
    return await make_shop("acme", role=Role.ADMIN)


@pytest.fixture
async def editor(make_shop: MakeShop, shop: Caller) -> Caller:
    """An editor key of shop `acme`."""
    return await make_shop("acme", role=Role.EDITOR)


@pytest.fixture
async def viewer(make_shop: MakeShop, shop: Caller) -> Caller:
    """A viewer key of shop `acme`."""
    return await make_shop("acme", role=Role.VIEWER)


@pytest.fixture
def ws_app(app):  # type: ignore[no-untyped-def]
    """A Starlette TestClient running the app (lifespan included) for WebSocket tests."""
    from starlette.testclient import TestClient

    with TestClient(app) as client:
        yield client


@pytest.fixture
def factory(db: Database, clock: FrozenClock):  # type: ignore[no-untyped-def]
    """Writes orders, shipments, events and claims straight to the tables (tests/factories.py)."""
    from tests.factories import Factory

    return Factory(db, clock)
