"""The `parcelgraph` command: serve, worker, migrate, shops, keys, schema export, demo."""

import asyncio
import signal
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from parcelgraph.config import get_settings
from parcelgraph.db import Database
from parcelgraph.domain.enums import Role
from parcelgraph.domain.errors import Rejected
from parcelgraph.migrate import upgrade
from parcelgraph.models.types import utcnow
from parcelgraph.resolvers import demo as demo_data
from parcelgraph.resolvers import shops

app = typer.Typer(help="parcelgraph: the post-purchase GraphQL API.", no_args_is_help=True)
shop_app = typer.Typer(help="Manage shops.", no_args_is_help=True)
key_app = typer.Typer(help="Manage API keys.", no_args_is_help=True)
app.add_typer(shop_app, name="shop")
app.add_typer(key_app, name="key")
console = Console()
T = TypeVar("T")

# Extra seeding steps `demo` runs after creating the shop (demo orders, webhooks, ...).
DEMO_SEEDERS: list[Callable[[Database, Any], Awaitable[list[str]]]] = []
DEMO_SEEDERS.append(demo_data.seed_orders)


def _run(work: Callable[[Database], Awaitable[T]]) -> T:
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


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
) -> None:
    """Run the API (and, by default, the webhook worker and carrier poller)."""
    import uvicorn

    from parcelgraph.app import create_app

    settings = get_settings()
    upgrade(settings.effective_database_url)
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level.lower(),
        ws_ping_interval=settings.ws_ping_interval,
        ws_ping_timeout=settings.ws_ping_timeout,
    )


@app.command()
def worker() -> None:
    """Run the background services (webhook delivery, carrier polling) without HTTP."""
    from parcelgraph.app import BACKGROUND_SERVICES, create_app

    settings = get_settings()
    upgrade(settings.effective_database_url)
    api = create_app(settings)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        async with api.router.lifespan_context(api):
            console.print(f"worker running: {', '.join(n for n, _ in BACKGROUND_SERVICES)}")
            await stop.wait()

    asyncio.run(main())


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema to the newest version."""
    settings = get_settings()
    upgrade(settings.effective_database_url)
    console.print("database is up to date")


@shop_app.command("create")
def shop_create(
    slug: str,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    currency: Annotated[str, typer.Option(help="ISO 4217 code.")] = "EUR",
    language: Annotated[str, typer.Option(help="Language code.")] = "en",
) -> None:
    """Create a shop."""

    async def work(db: Database) -> None:
        async with db.writer() as session:
            shop = await shops.create(
                session, slug=slug, name=name, currency=currency, language=language, now=utcnow()
            )
            await session.commit()
        console.print(f"created shop [bold]{shop.slug}[/bold] ({shop.currency})")

    _run(work)


@key_app.command("create")
def key_create(
    shop: Annotated[str, typer.Option("--shop", help="Shop slug, or * for every shop.")],
    role: Annotated[Role, typer.Option(help="viewer, editor or admin.", case_sensitive=False)],
    name: Annotated[str | None, typer.Option(help="Basic-auth username.")] = None,
) -> None:
    """Create an API key and print it once."""

    async def work(db: Database) -> None:
        async with db.writer() as session:
            issued = await shops.create_api_key(
                session, shop_slug=shop, role=role, name=name, now=utcnow()
            )
            await session.commit()
        console.print(f"key id:   {issued.key.id}")
        console.print(f"username: {issued.key.name}")
        console.print(f"role:     {issued.key.role}")
        console.print("secret (shown once, store it now):")
        print(issued.secret)

    _run(work)


@key_app.command("list")
def key_list(
    shop: Annotated[str | None, typer.Option(help="Only this shop (or *).")] = None,
) -> None:
    """List API keys (never their secrets)."""

    async def work(db: Database) -> None:
        async with db.reader() as session:
            keys = await shops.list_api_keys(session, shop_slug=shop)
        table = Table()
        table.add_column("id", no_wrap=True, min_width=36)
        for title in ("name", "role", "scope"):
            table.add_column(title, no_wrap=True)
        table.add_column("created", no_wrap=True, min_width=19)
        table.add_column("revoked", no_wrap=True, min_width=19)
        for key in keys:
            table.add_row(
                str(key.id),
                key.name,
                key.role,
                "*" if key.shop_id is None else "shop",
                key.created_at.isoformat(timespec="seconds"),
                key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else "",
            )
        # Wide enough that ids are never truncated, so the output can be copied or grepped.
        Console(width=max(console.width, 160)).print(table)

    _run(work)


@key_app.command("revoke")
def key_revoke(key_id: uuid.UUID) -> None:
    """Revoke an API key immediately."""

    async def work(db: Database) -> None:
        async with db.writer() as session:
            key = await shops.revoke_api_key(session, key_id=key_id, now=utcnow())
            await session.commit()
        console.print(f"revoked {key.name} ({key.id})")

    _run(work)


@app.command("export-schema")
def export_schema(
    output: Annotated[Path, typer.Option(help="Where to write the SDL.")] = Path("schema.graphql"),
) -> None:
    """Write the GraphQL schema (SDL) to a file."""
    from parcelgraph.schema.root import schema

    output.write_text(schema.as_str() + "\n")
    console.print(f"wrote {output}")


@app.command("export-openapi")
def export_openapi(
    output: Annotated[Path, typer.Option(help="Where to write the document.")] = Path(
        "openapi.json"
    ),
) -> None:
    """Write the REST v1 OpenAPI document to a file."""
    from parcelgraph.rest import openapi_text

    output.write_text(openapi_text())
    console.print(f"wrote {output}")


@app.command()
def demo(
    slug: Annotated[str, typer.Option(help="Demo shop slug.")] = "demo",
) -> None:
    """Create (or reuse) a demo shop with sample data and print a fresh admin key and a curl."""
    settings = get_settings()

    async def work(db: Database) -> tuple[str, str, list[str]]:
        async with db.writer() as session:
            shop = await shops.get_by_slug(session, slug=slug)
            if shop is None:
                shop = await shops.create(session, slug=slug, name="Demo Shop", now=utcnow())
            issued = await shops.create_api_key(
                session, shop_slug=slug, role=Role.ADMIN, name=slug, now=utcnow()
            )
            await session.commit()
        notes: list[str] = []
        for seed in DEMO_SEEDERS:
            notes.extend(await seed(db, shop))
        return issued.key.name, issued.secret, notes

    username, secret, notes = _run(work)
    base = f"http://{settings.host}:{settings.port}"
    for note in notes:
        console.print(note)
    console.print(f"demo shop [bold]{slug}[/bold]; admin key (shown once):")
    print(f"  username: {username}\n  password: {secret}\n")
    print("Try it:")
    print(
        f"  curl -s -u '{username}:{secret}' -H 'Content-Type: application/json' "
        f'-d \'{{"query":"{{ shop {{ slug name currency }} viewer {{ name role }} }}"}}\' '
        f"{base}/v1/shops/{slug}/graphql"
    )
