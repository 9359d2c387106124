"""`carrier`: store, delete and re-encrypt carrier credentials; mint a credentials key."""

from collections.abc import Awaitable
from typing import Annotated, Any

import typer

from parcelgraph.cli.common import console, run_with_db
from parcelgraph.config import get_settings
from parcelgraph.db import Database
from parcelgraph.domain.errors import Rejected
from parcelgraph.models.types import utcnow
from parcelgraph.resolvers import shops
from parcelgraph.resolvers.shops import carrier_credentials

carrier_app = typer.Typer(help="Carrier credentials and keys.", no_args_is_help=True)


def _credential_scope(session: Any, shop: str) -> Awaitable[Any]:
    async def find() -> Any:
        if shop == shops.PLATFORM:
            return None
        found = await shops.get_by_slug(session, slug=shop)
        if found is None:
            raise Rejected.one("NOT_FOUND", f"No shop {shop!r}.", "shop")
        return found

    return find()


@carrier_app.command("set-credentials")
def carrier_set_credentials(
    adapter: Annotated[str, typer.Argument(help="Adapter name (ups, dhl, ...).")],
    shop: Annotated[str, typer.Option("--shop", help="Shop slug, or * for the platform.")],
    client_id: Annotated[str | None, typer.Option(help="OAuth client id.")] = None,
    client_secret: Annotated[
        str | None, typer.Option(help="OAuth client secret (or password).")
    ] = None,
    api_key: Annotated[str | None, typer.Option(help="API key.")] = None,
    account: Annotated[str | None, typer.Option(help="Account or customer number.")] = None,
    webhook_secret: Annotated[
        str | None, typer.Option(help="Secret the carrier signs its pushes with.")
    ] = None,
) -> None:
    """Store a carrier adapter's credentials, encrypted (values are never shown again)."""
    from parcelgraph.tracking.service import adapter_requirements

    settings = get_settings()
    values = {"client_id": client_id, "client_secret": client_secret, "api_key": api_key,
              "account": account, "webhook_secret": webhook_secret}  # fmt: skip

    async def work(db: Database) -> str:
        async with db.writer() as session:
            row = await carrier_credentials.set_credentials(
                session, shop=await _credential_scope(session, shop), adapter=adapter,
                values=values, known=adapter_requirements(),
                cipher=carrier_credentials.CredentialCipher(settings.carrier_credentials_keys),
                now=utcnow(),
            )  # fmt: skip
            await session.commit()
            return row.hint

    console.print(f"stored {adapter} credentials for {shop} ({run_with_db(work)})")


@carrier_app.command("delete-credentials")
def carrier_delete_credentials(
    adapter: Annotated[str, typer.Argument(help="Adapter name.")],
    shop: Annotated[str, typer.Option("--shop", help="Shop slug, or * for the platform.")],
) -> None:
    """Remove a carrier adapter's stored credentials."""

    async def work(db: Database) -> bool:
        async with db.writer() as session:
            scope = await _credential_scope(session, shop)
            deleted = await carrier_credentials.delete_credentials(
                session, shop=scope, adapter=adapter
            )
            await session.commit()
            return deleted

    console.print("deleted" if run_with_db(work) else "nothing stored")


@carrier_app.command("rotate-credentials")
def carrier_rotate_credentials() -> None:
    """Re-encrypt every stored credential under the first configured key."""
    settings = get_settings()

    async def work(db: Database) -> int:
        cipher = carrier_credentials.CredentialCipher(settings.carrier_credentials_keys)
        async with db.writer() as session:
            count = await carrier_credentials.rotate(session, cipher=cipher, now=utcnow())
            await session.commit()
            return count

    console.print(f"re-encrypted {run_with_db(work)} credentials under the newest key")


@carrier_app.command("new-key")
def carrier_new_key() -> None:
    """Print a fresh key for PARCELGRAPH_CARRIER_CREDENTIALS_KEYS."""
    print(carrier_credentials.new_key())
