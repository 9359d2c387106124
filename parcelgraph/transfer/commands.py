"""The `parcelgraph import orders` and `parcelgraph export orders` commands."""

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from parcelgraph.config import get_settings
from parcelgraph.db import Database
from parcelgraph.migrate import upgrade
from parcelgraph.resolvers import shops
from parcelgraph.resolvers.events import ArrivalPolicy
from parcelgraph.transfer import exporter, importer
from parcelgraph.transfer import rows as order_rows

import_app = typer.Typer(help="Bring data in from files.", no_args_is_help=True)
export_app = typer.Typer(help="Write data out to files.", no_args_is_help=True)
console = Console()
SHOWN_REFUSALS = 50
T = TypeVar("T")


def _with_database(url: str, work: Callable[[Database], Awaitable[T]]) -> T:
    """Run `work` on a database opened for it (and closed after)."""

    async def main() -> T:
        db = Database(url)
        try:
            return await work(db)
        finally:
            await db.dispose()

    return asyncio.run(main())


def _progress() -> Progress:
    """A progress display: what runs, a bar, done of total, the time elapsed."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    return Progress(*columns, console=console)


@import_app.command("orders")
def import_orders(
    file: Annotated[Path, typer.Argument(help="JSON lines (.jsonl) or CSV (.csv) of upserts.")],
    shop: Annotated[str, typer.Option("--shop", help="Slug of the shop to import into.")],
    dry_run: Annotated[
        bool, typer.Option(help="Check every row (all the API's rules); write nothing.")
    ] = False,
    restart: Annotated[
        bool, typer.Option(help="Ignore the checkpoint of an earlier run; start at line 1.")
    ] = False,
    chunk_size: Annotated[int, typer.Option(help="Rows per transaction.")] = 500,
) -> None:
    """Import orders (with trackings) in the upsertOrder shape, resumably, with progress."""
    settings = get_settings()
    if not file.is_file():
        console.print(f"[red]error[/red] no such file: {file}")
        raise typer.Exit(2)
    upgrade(settings.effective_database_url)
    chunk = max(1, min(chunk_size, settings.bulk_max_items))
    total = order_rows.count(file)

    async def work(db: Database) -> importer.Report | None:
        return await _import(
            db, slug=shop, file=file, chunk=chunk, total=total, dry_run=dry_run,
            restart=restart, arrival=ArrivalPolicy.from_settings(settings),
        )  # fmt: skip

    report = _with_database(settings.effective_database_url, work)
    if report is None:
        console.print(f"[red]error[/red] NOT_FOUND: no shop {shop!r}")
        raise typer.Exit(2)
    _summary(report, file, dry_run)
    if report.refused:
        raise typer.Exit(1)


async def _import(
    db: Database, *, slug: str, file: Path, chunk: int, total: int, dry_run: bool,
    restart: bool, arrival: ArrivalPolicy,
) -> importer.Report | None:  # fmt: skip
    """Import `file` into shop `slug` with a progress bar; None when there is no such shop."""
    async with db.reader() as session:
        target = await shops.get_by_slug(session, slug=slug)
    if target is None:
        return None
    with _progress() as progress:
        task = progress.add_task("checking" if dry_run else "importing", total=total)
        return await importer.run(
            db, shop=target, path=file, chunk_size=chunk, arrival=arrival, dry_run=dry_run,
            restart=restart, advance=lambda n: progress.advance(task, n),
        )  # fmt: skip


def _summary(report: importer.Report, file: Path, dry_run: bool) -> None:
    verb = "would import" if dry_run else "imported"
    print(f"{verb} {report.imported}, refused {len(report.refused)}", end="")
    print(f", skipped {report.skipped} already imported" if report.skipped else "")
    if report.refused:
        table = Table("line", "field", "code", "message", title="refused rows")
        for refusal in report.refused[:SHOWN_REFUSALS]:
            for issue in refusal.issues:
                path = ".".join(str(p) for p in issue.field) or "-"
                table.add_row(str(refusal.line), path, issue.code, issue.message)
        Console(width=max(console.width, 140)).print(table)
        if len(report.refused) > SHOWN_REFUSALS:
            print(f"... and {len(report.refused) - SHOWN_REFUSALS} more refused rows")
    if not dry_run and report.refused:
        checkpoint = importer.checkpoint_path(file).name
        print("Fix the refused lines and run again: lines already imported are skipped "
              f"(checkpoint {checkpoint}; --restart ignores it).")  # fmt: skip


@export_app.command("orders")
def export_orders(
    shop: Annotated[str, typer.Option("--shop", help="Slug of the shop to export.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The JSON-lines file to write.")
    ] = Path("orders.jsonl"),
    page_size: Annotated[int, typer.Option(help="Orders read per page.")] = 500,
) -> None:
    """Export every order in the upsertOrder shape (JSON lines), ready for `import orders`."""
    settings = get_settings()
    upgrade(settings.effective_database_url)

    async def work(db: Database) -> int | None:
        with _progress() as progress:
            return await exporter.run(
                db, shop_slug=shop, path=output, page_size=max(1, page_size),
                start=lambda total: progress.add_task("exporting", total=total),
                advance=lambda task, n: progress.advance(task, n),
            )  # fmt: skip

    written = _with_database(settings.effective_database_url, work)
    if written is None:
        console.print(f"[red]error[/red] NOT_FOUND: no shop {shop!r}")
        raise typer.Exit(2)
    print(f"exported {written} orders to {output}")
