"""The `parcelgraph` command: serve, worker, mcp, migrate, shops, keys, schema export, demo."""

import asyncio
import base64
import json
import os
import signal
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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
from parcelgraph.operability import logs
from parcelgraph.resolvers import shops
from parcelgraph.resolvers import tokens as order_tokens
from parcelgraph.resolvers.orders import demo as demo_data
from parcelgraph.resolvers.shops import carrier_credentials, demo_key
from parcelgraph.transfer import commands as transfer_commands

app = typer.Typer(help="parcelgraph: the post-purchase GraphQL API.", no_args_is_help=True)
shop_app = typer.Typer(help="Manage shops.", no_args_is_help=True)
key_app = typer.Typer(help="Manage API keys.", no_args_is_help=True)
app.add_typer(shop_app, name="shop")
app.add_typer(key_app, name="key")
app.add_typer(transfer_commands.import_app, name="import")
app.add_typer(transfer_commands.export_app, name="export")
console = Console()
T = TypeVar("T")

# Extra seeding steps `demo` runs after creating the shop (demo orders, webhooks, ...).
DEMO_SEEDERS: list[Callable[[Database, Any], Awaitable[list[str]]]] = []
DEMO_SEEDERS.append(
    lambda db, shop: demo_data.seed_orders(db, shop, base_url=get_settings().public_base_url)
)
DEMO_TRACKED_ORDER = "DEMO-1003"  # fulfilled in two parcels: the richest tracking page


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
    from parcelgraph.gc_tuning import tune_for_serving

    settings = get_settings()
    logs.configure(level=settings.log_level, log_format=settings.log_format)
    upgrade(settings.effective_database_url)
    api = create_app(settings)
    tune_for_serving()
    uvicorn.run(
        api,
        host=host or settings.host,
        port=port or settings.port,
        log_config=None,  # keep the handler logs.configure installed (text or JSON lines)
        log_level=settings.log_level.lower(),
        ws_ping_interval=settings.ws_ping_interval,
        ws_ping_timeout=settings.ws_ping_timeout,
        # uvicorn believes X-Forwarded-For from 127.0.0.1 by default; only configured
        # proxies may name the client here.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
    )


@app.command()
def worker() -> None:
    """Run the background services (webhook delivery, carrier polling) without HTTP.

    Both always run here: PARCELGRAPH_RUN_WEBHOOK_WORKER / _RUN_CARRIER_POLLER switch them
    off inside `serve` (when separate workers do the job), and such an environment is often
    shared with the workers. What it prints is what the lifespan actually started.
    """
    from parcelgraph.app import create_app
    from parcelgraph.gc_tuning import tune_for_serving

    settings = get_settings().model_copy(
        update={"run_webhook_worker": True, "run_carrier_poller": True}
    )
    logs.configure(level=settings.log_level, log_format=settings.log_format)
    upgrade(settings.effective_database_url)
    api = create_app(settings)
    tune_for_serving()

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        async with api.router.lifespan_context(api):
            console.print(f"worker running: {', '.join(api.state.running_services)}")
            await stop.wait()

    asyncio.run(main())


@app.command("mcp")
def mcp_stdio(
    shop: Annotated[str, typer.Option("--shop", help="The shop's slug.")],
    api_key: Annotated[
        str,
        typer.Option(
            "--api-key",
            envvar="PARCELGRAPH_API_KEY",
            help="The API key as name:secret (best set in the environment).",
            show_default=False,
        ),
    ],
) -> None:
    """Serve the MCP tools, resources and prompts over stdio, as the key's shop and role.

    For local agents (Claude Desktop-style configs). Background services stay with
    `serve` or `worker`; this process only answers the agent.
    """
    from parcelgraph.app import create_app, graphql_bridge, mcp_services
    from parcelgraph.auth import AuthError, ShopNotFound
    from parcelgraph.mcp_server.stdio import authenticate_key, serve_stdio

    settings = get_settings().model_copy(
        update={"run_webhook_worker": False, "run_carrier_poller": False}
    )
    upgrade(settings.effective_database_url)
    api = create_app(settings)
    errors = Console(stderr=True)  # stdout carries the protocol

    async def main() -> None:
        async with api.router.lifespan_context(api):
            services = mcp_services(api.state)
            try:
                caller = await authenticate_key(services, shop, api_key)
            except (AuthError, ShopNotFound):
                errors.print(f"[red]refused[/red]: this API key is not valid for shop {shop!r}")
                raise typer.Exit(1) from None
            await serve_stdio(graphql_bridge(settings), services, caller)

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


def _demo_key_file(slug: str) -> Path:
    return get_settings().data_dir / f"demo-{slug}-key.json"


def _load_demo_key(path: Path) -> demo_key.StoredKey | None:
    try:
        data = json.loads(path.read_text())
        return demo_key.StoredKey(uuid.UUID(data["key_id"]), data["username"], data["secret"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no file yet, or not ours: a new key is minted and the file rewritten


def _save_demo_key(path: Path, stored: demo_key.StoredKey) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The file holds a live admin secret: readable by its owner only, from the first byte.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    data = {"key_id": str(stored.key_id), "username": stored.username, "secret": stored.secret}
    with os.fdopen(fd, "w") as file:
        json.dump(data, file)


@dataclass
class _DemoRun:
    key: demo_key.DemoKey
    notes: list[str]
    states: list[str]
    tracking_url: str


@app.command()
def demo(
    slug: Annotated[str, typer.Option(help="Demo shop slug.")] = "demo",
) -> None:
    """Create (or reuse) a demo shop with sample data; print its admin key (the same one on
    every run while it is active), a curl, GraphiQL and a customer's tracking link."""
    settings = get_settings()
    sandbox_shop: list[bool] = []
    key_file = _demo_key_file(slug)

    async def work(db: Database) -> _DemoRun:
        async with db.writer() as session:
            shop = await shops.get_by_slug(session, slug=slug)
            if shop is None:
                shop = await shops.create(
                    session, slug=slug, name="Demo Shop", sandbox=True, now=utcnow()
                )
            key = await demo_key.ensure(
                session, shop=shop, stored=_load_demo_key(key_file), now=utcnow()
            )
            await session.commit()
        sandbox_shop.append(shop.sandbox)
        notes: list[str] = []
        for seed in DEMO_SEEDERS:
            notes.extend(await seed(db, shop))
        async with db.writer() as session:
            link = await order_tokens.issue(
                session, shop=shop, order_number=DEMO_TRACKED_ORDER, expires_in_days=30,
                default_base_url=settings.public_base_url, now=utcnow(),
            )  # fmt: skip
            await session.commit()
        states = await demo_data.current_states(db, shop)
        return _DemoRun(key, notes, states, link.tracking_url)

    run = _run(work)
    if not run.key.reused:
        _save_demo_key(key_file, run.key.stored)
    _print_demo(slug, run, key_file)
    if not sandbox_shop[0]:
        console.print(
            f"[yellow]{slug} is not a sandbox shop: its parcels are tracked at their real "
            "carriers, nothing is simulated[/yellow]"
        )


def _print_demo(slug: str, run: _DemoRun, key_file: Path) -> None:
    settings = get_settings()
    base = settings.public_base_url.rstrip("/")
    username, secret = run.key.stored.username, run.key.stored.secret
    for note in run.notes:
        console.print(note)
    console.print("demo orders now:")
    for line in run.states:
        print(f"  {line}")
    for key_id in run.key.revoked:
        print(f"revoked the earlier demo key {key_id}")
    how = "reused from" if run.key.reused else "new, stored in"
    print(f"demo shop {slug}; admin key ({how} {key_file}):")  # a path: never wrapped
    print(f"  username: {username}\n  password: {secret}\n")
    endpoint = f"{base}/v1/shops/{slug}/graphql"
    print("Try it:")
    print(
        f"  curl -s -u '{username}:{secret}' -H 'Content-Type: application/json' "
        f'-d \'{{"query":"{{ shop {{ slug name currency }} viewer {{ name role }} }}"}}\' '
        f"{endpoint}"
    )
    basic = base64.b64encode(f"{username}:{secret}".encode()).decode()
    print(f"\nGraphiQL: {endpoint}  (Headers tab:)")
    print(f'  {{"Authorization": "Basic {basic}"}}')
    print(
        f"\nTracking page of {DEMO_TRACKED_ORDER}, as its customer sees it:\n  {run.tracking_url}"
    )


carrier_app = typer.Typer(help="Carrier credentials and keys.", no_args_is_help=True)
app.add_typer(carrier_app, name="carrier")


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

    console.print(f"stored {adapter} credentials for {shop} ({_run(work)})")


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

    console.print("deleted" if _run(work) else "nothing stored")


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

    console.print(f"re-encrypted {_run(work)} credentials under the newest key")


@carrier_app.command("new-key")
def carrier_new_key() -> None:
    """Print a fresh key for PARCELGRAPH_CARRIER_CREDENTIALS_KEYS."""
    print(carrier_credentials.new_key())
