"""A PostgreSQL copy of the seeded data, for the -PG workloads and the PostGraphile peer.

`BENCH_POSTGRES_URL` names a database the suite owns: it is (re)created as a clone of a
template, e.g. `postgresql://postgres@127.0.0.1:5432/parcelgraph_bench`.
Without it the PostgreSQL workloads are skipped (and say so).

The template database (`<name>_seed_<scale>`) is built once per seeded SQLite template: it
is migrated with the project's migrations, then every table is copied row by row from the
SQLite template through the models' own column types (the same ids, timestamps, amounts
and JSON; binary COPY), and its sequences are moved past the copied rows. The seed itself
went through the use cases (see seed.py), so the copy is the same data, not a re-creation.
The working database is a clone of it (`CREATE DATABASE ... TEMPLATE`, a second), kept
while the template stays the same; each run issues a fresh admin key on it.
"""

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

URL_VARIABLE = "BENCH_POSTGRES_URL"
_DONE = "parcelgraph bench seed of {stamp}"


@dataclass(frozen=True)
class PgCopy:
    """The working database: URLs for the product (asyncpg) and for libpq-style clients."""

    name: str
    libpq_url: str
    authorization: str

    @property
    def async_url(self) -> str:
        return "postgresql+asyncpg://" + self.libpq_url.split("://", 1)[1]


def configured_url() -> str | None:
    """The plain `postgresql://` URL of the suite's database, or None when not configured."""
    raw = os.environ.get(URL_VARIABLE, "").strip()
    if not raw:
        return None
    scheme, rest = raw.split("://", 1)
    if not scheme.startswith("postgres"):
        raise ValueError(f"{URL_VARIABLE} must be a postgresql:// URL, got {scheme}://")
    return "postgresql://" + rest


def skip_reason() -> str | None:
    if configured_url() is None:
        return (
            f"PostgreSQL not configured: set {URL_VARIABLE}=postgresql://USER@HOST:PORT/DBNAME "
            "(a database the suite may drop and recreate)"
        )
    return None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


async def _admin(url: str) -> Any:
    """A connection to the server's maintenance database (to create and drop databases)."""
    import asyncpg

    return await asyncpg.connect(_with_database(url, "postgres"))


async def _comment(admin: Any, database: str) -> str | None:
    return await admin.fetchval(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
        database,
    )


async def _clone(admin: Any, name: str, template: str, stamp: str) -> None:
    """The working database as a clone of the template, reused while the template is the same.

    The read workloads never change the copy (a run only adds its own API key), and dropping
    a database waits for a checkpoint, which took 45 s on a busy server.
    """
    mark = f"clone of {template}: " + _DONE.format(stamp=stamp)
    if await _comment(admin, name) == mark:
        return
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    await admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{mark}'")


async def _build_template(url: str, template: str, sqlite_template: Path, stamp: str) -> float:
    """Create, migrate and fill the template database; return the seconds it took."""
    import time

    from parcelgraph.migrate import upgrade_async

    started = time.perf_counter()
    admin = await _admin(url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{template}"')
    finally:
        await admin.close()
    target = _with_database(url, template)
    await upgrade_async("postgresql+asyncpg://" + target.split("://", 1)[1])
    # Copied from a migrated copy of the SQLite template, so both sides have the same columns.
    source = sqlite_template.with_name("pg-source.db")
    shutil.copy(sqlite_template, source)
    await upgrade_async(f"sqlite+aiosqlite:///{source}")
    try:
        await copy_rows(source, target)
    finally:
        source.unlink(missing_ok=True)
    admin = await _admin(url)
    try:  # only a complete copy is ever marked as the template of this seed
        await admin.execute(f"COMMENT ON DATABASE \"{template}\" IS '{_DONE.format(stamp=stamp)}'")
    finally:
        await admin.close()
    return time.perf_counter() - started


def _converters(table: Any, dialect: Any) -> list[Any]:
    """Per column: the model type's own conversion to what asyncpg's COPY takes."""
    from sqlalchemy import JSON

    converters = []
    for column in table.columns:
        if isinstance(column.type, JSON) or isinstance(getattr(column.type, "impl", None), JSON):
            converters.append(lambda v: None if v is None else json.dumps(v))
            continue
        converters.append(column.type.dialect_impl(dialect).bind_processor(dialect))
    return converters


async def copy_rows(sqlite_path: Path, libpq_url: str) -> dict[str, int]:
    """Copy every model table's rows from the SQLite file into the PostgreSQL database."""
    import asyncpg
    from sqlalchemy import create_engine, select
    from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
    from sqlmodel import SQLModel

    import parcelgraph.models  # noqa: F401  (registers every table on the metadata)

    dialect = asyncpg_dialect()
    source = create_engine(f"sqlite:///{sqlite_path}")
    conn = await asyncpg.connect(libpq_url)
    copied = {}
    try:
        # A faithful copy of a consistent database: no need to re-check foreign keys row by row.
        await conn.execute("SET session_replication_role = replica")
        for table in SQLModel.metadata.sorted_tables:
            with source.connect() as reader:
                rows = reader.execute(select(table)).all()
            if not rows:
                continue
            convert = _converters(table, dialect)
            records = [
                tuple(f(v) if f else v for f, v in zip(convert, row, strict=True)) for row in rows
            ]
            columns = [c.name for c in table.columns]
            await conn.copy_records_to_table(table.name, records=records, columns=columns)
            copied[table.name] = len(records)
        await _advance_sequences(conn)
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
        source.dispose()
    return copied


async def _advance_sequences(conn: Any) -> None:
    """Serial and identity columns continue after the copied rows, as after real inserts."""
    columns = await conn.fetch(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND (column_default LIKE 'nextval%' OR is_identity = 'YES')"
    )
    for table, column in columns:
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f'coalesce((SELECT max("{column}") FROM "{table}"), 0) + 1, false)'
        )


async def prepare(sqlite_template: Path, scale: float, reseed: bool) -> tuple[PgCopy, float]:
    """The working copy with a fresh admin key (and the seconds spent building the template,
    0 when cached)."""
    url = configured_url()
    assert url is not None, skip_reason()
    name = urlsplit(url).path.lstrip("/")
    template = f"{name}_seed_{scale:g}".replace(".", "_")
    stamp = f"{sqlite_template.name} {sqlite_template.stat().st_mtime_ns}"  # noqa: ASYNC240
    admin = await _admin(url)
    try:
        current = not reseed and await _comment(admin, template) == _DONE.format(stamp=stamp)
    finally:
        await admin.close()
    built = 0.0 if current else await _build_template(url, template, sqlite_template, stamp)
    admin = await _admin(url)
    try:
        await _clone(admin, name, template, stamp)
    finally:
        await admin.close()
    from parcelgraph.migrate import upgrade_async
    from scripts.bench.env import fresh_key

    work = PgCopy(name, url, "")
    await upgrade_async(work.async_url)  # a template built before a newer migration gets it
    return PgCopy(name, url, await fresh_key(work.async_url)), built
