"""The long-running commands: serve, worker, mcp (stdio), and migrate."""

import asyncio
import signal
from typing import Annotated

import typer
from rich.console import Console

from parcelgraph.cli.common import console
from parcelgraph.config import get_settings
from parcelgraph.migrate import upgrade
from parcelgraph.operability import logs


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


def migrate() -> None:
    """Create or upgrade the database schema to the newest version."""
    settings = get_settings()
    upgrade(settings.effective_database_url)
    console.print("database is up to date")
