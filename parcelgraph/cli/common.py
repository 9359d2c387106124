"""What every command shares: the console and running work against the configured database."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console

from parcelgraph.config import get_settings
from parcelgraph.db import Database
from parcelgraph.domain.errors import Rejected
from parcelgraph.migrate import upgrade

console = Console()
T = TypeVar("T")


def run_with_db(work: Callable[[Database], Awaitable[T]]) -> T:
    """Open the configured database (migrated), run `work`, close it."""
    settings = get_settings()
    upgrade(settings.effective_database_url)

    async def main() -> T:
        db = Database(settings.effective_database_url)
        try:
            return await work(db)
        finally:
            await db.dispose()

    try:
        return asyncio.run(main())
    except Rejected as rejected:
        for issue in rejected.issues:
            console.print(f"[red]error[/red] {issue.code}: {issue.message}")
        raise typer.Exit(1) from None
