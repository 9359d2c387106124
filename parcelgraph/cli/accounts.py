"""`shop` and `key`: create shops, create, list and revoke API keys."""

import uuid
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from parcelgraph.cli.common import console, run_with_db
from parcelgraph.db import Database
from parcelgraph.domain.enums import Role
from parcelgraph.models.types import utcnow
from parcelgraph.resolvers import shops

shop_app = typer.Typer(help="Manage shops.", no_args_is_help=True)
key_app = typer.Typer(help="Manage API keys.", no_args_is_help=True)


@shop_app.command("create")
def shop_create(
    slug: str,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    currency: Annotated[str, typer.Option(help="ISO 4217 code.")] = "EUR",
    language: Annotated[str, typer.Option(help="Language code.")] = "en",
    sandbox: Annotated[
        bool, typer.Option(help="A demo shop: its parcels are simulated, never polled.")
    ] = False,
) -> None:
    """Create a shop."""

    async def work(db: Database) -> None:
        async with db.writer() as session:
            shop = await shops.create(
                session, slug=slug, name=name, currency=currency, language=language,
                sandbox=sandbox, now=utcnow(),
            )  # fmt: skip
            await session.commit()
        console.print(f"created shop [bold]{shop.slug}[/bold] ({shop.currency})")

    run_with_db(work)


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

    run_with_db(work)


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

    run_with_db(work)


@key_app.command("revoke")
def key_revoke(key_id: uuid.UUID) -> None:
    """Revoke an API key immediately."""

    async def work(db: Database) -> None:
        async with db.writer() as session:
            key = await shops.revoke_api_key(session, key_id=key_id, now=utcnow())
            await session.commit()
        console.print(f"revoked {key.name} ({key.id})")

    run_with_db(work)
