"""Run Alembic migrations programmatically (used by `parcelgraph migrate` and `serve`)."""

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

import parcelgraph


def migrations_dir() -> Path:
    """The Alembic script directory: the repo's `migrations/` or the copy inside a wheel."""
    package = Path(parcelgraph.__file__).resolve().parent
    for candidate in (package.parent / "migrations", package / "_migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise FileNotFoundError("parcelgraph's migrations directory is missing from this install")


def alembic_config(url: str) -> Config:
    """An Alembic config for `url` without needing an alembic.ini on disk."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at `url` to `revision` (blocking; creates the SQLite file)."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1].split("?", 1)[0]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)


async def upgrade_async(url: str, revision: str = "head") -> None:
    """`upgrade` from async code: Alembic's env runs its own event loop, so use a thread."""
    await asyncio.to_thread(upgrade, url, revision)
