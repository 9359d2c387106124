"""`demo`: a sandbox shop with sample orders, its admin key and where to try it."""

import base64
import json
import os
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from parcelgraph.cli.common import console, run_with_db
from parcelgraph.config import get_settings
from parcelgraph.db import Database
from parcelgraph.models.types import utcnow
from parcelgraph.resolvers import shops
from parcelgraph.resolvers import tokens as order_tokens
from parcelgraph.resolvers.orders import demo as demo_data
from parcelgraph.resolvers.shops import demo_key

# Extra seeding steps `demo` runs after creating the shop (demo orders, webhooks, ...).
DEMO_SEEDERS: list[Callable[[Database, Any], Awaitable[list[str]]]] = []
DEMO_SEEDERS.append(
    lambda db, shop: demo_data.seed_orders(db, shop, base_url=get_settings().public_base_url)
)
DEMO_TRACKED_ORDER = "DEMO-1003"  # fulfilled in two parcels: the richest tracking page


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
    sandbox: bool


def demo(
    slug: Annotated[str, typer.Option(help="Demo shop slug.")] = "demo",
) -> None:
    """Create (or reuse) a demo shop with sample data; print its admin key (the same one on
    every run while it is active), a curl, GraphiQL and a customer's tracking link."""
    key_file = _demo_key_file(slug)

    async def work(db: Database) -> _DemoRun:
        return await _prepare(db, slug, key_file)

    run = run_with_db(work)
    if not run.key.reused:
        _save_demo_key(key_file, run.key.stored)
    _print_demo(slug, run, key_file)
    if not run.sandbox:
        console.print(
            f"[yellow]{slug} is not a sandbox shop: its parcels are tracked at their real "
            "carriers, nothing is simulated[/yellow]"
        )


async def _prepare(db: Database, slug: str, key_file: Path) -> _DemoRun:
    """The shop and its key, the seeded data, and a customer's tracking link."""
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
    sandbox = shop.sandbox
    notes: list[str] = []
    for seed in DEMO_SEEDERS:
        notes.extend(await seed(db, shop))
    async with db.writer() as session:
        link = await order_tokens.issue(
            session, shop=shop, order_number=DEMO_TRACKED_ORDER, expires_in_days=30,
            default_base_url=get_settings().public_base_url, now=utcnow(),
        )  # fmt: skip
        await session.commit()
    states = await demo_data.current_states(db, shop)
    return _DemoRun(key, notes, states, link.tracking_url, sandbox)


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
