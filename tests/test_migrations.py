"""Migrations build the whole schema from empty, on SQLite and on PostgreSQL, and the
result matches the models exactly (no drift between models and migrations)."""

import asyncio
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import parcelgraph.models  # noqa: F401
from parcelgraph.migrate import upgrade
from tests.conftest import POSTGRES_URL

EXPECTED_TABLES = {t.name for t in SQLModel.metadata.sorted_tables} | {"alembic_version"}


def _inspect(url: str) -> tuple[set[str], list[object]]:
    async def run() -> tuple[set[str], list[object]]:
        engine = create_async_engine(url)
        async with engine.connect() as conn:

            def work(sync_conn):  # type: ignore[no-untyped-def]
                tables = set(inspect(sync_conn).get_table_names())
                context = MigrationContext.configure(sync_conn, opts={"compare_type": False})
                return tables, compare_metadata(context, SQLModel.metadata)

            result = await conn.run_sync(work)
        await engine.dispose()
        return result

    return asyncio.run(run())


def test_sqlite_from_empty(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    tables, drift = _inspect(url)
    assert tables == EXPECTED_TABLES
    assert drift == []
    upgrade(url)  # running again is a no-op, not an error
    assert _inspect(url)[0] == EXPECTED_TABLES


@pytest.mark.postgres
def test_postgres_from_empty() -> None:
    assert POSTGRES_URL
    admin_url = POSTGRES_URL
    name = f"pg_migrate_{uuid.uuid4().hex[:8]}"
    fresh_url = admin_url.rsplit("/", 1)[0] + f"/{name}"

    async def database(sql: str) -> None:
        engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            await conn.execute(text(sql))
        await engine.dispose()

    asyncio.run(database(f'CREATE DATABASE "{name}"'))
    try:
        upgrade(fresh_url)
        tables, drift = _inspect(fresh_url)
        assert tables == EXPECTED_TABLES
        assert drift == []
    finally:
        asyncio.run(database(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
