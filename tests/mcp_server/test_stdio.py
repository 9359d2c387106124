"""`parcelgraph mcp --shop SLUG` over stdio, driven by the SDK's stdio client in a subprocess."""

import asyncio
import base64
import os
import sys
from pathlib import Path

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from parcelgraph.domain.enums import Role
from parcelgraph.resolvers import shops
from tests.mcp_server.support import NEW_ORDER, call
from tests.support import Caller

ROOT = Path(__file__).resolve().parents[2]
STATE = '{ order(orderNumber: "1001") { expectedNumberOfShipments shipments { isDraft } } }'


@pytest.fixture
def backend() -> str:
    return "sqlite"  # the subprocess opens the same database file as the test's app


def _server(settings, key: str, slug: str = "acme") -> StdioServerParameters:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PARCELGRAPH_DATABASE_URL": settings.effective_database_url,
        "PARCELGRAPH_DATA_DIR": str(settings.data_dir),
        "PARCELGRAPH_API_KEY": key,
    }
    return StdioServerParameters(
        command=sys.executable, args=["-m", "parcelgraph", "mcp", "--shop", slug], env=env, cwd=ROOT
    )


async def _key(db, clock, role: Role) -> str:
    async with db.writer() as session:
        issued = await shops.create_api_key(
            session, shop_slug="acme", role=role, name=f"stdio-{role.value}", now=clock()
        )
        await session.commit()
    return f"{issued.key.name}:{issued.secret}"


async def test_an_agent_works_over_stdio(settings, db, clock, shop: Caller) -> None:
    key = await _key(db, clock, Role.EDITOR)

    async with (
        stdio_client(_server(settings, key)) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        tools = [t.name for t in (await session.list_tools()).tools]
        created = await call(session, "upsert_order", NEW_ORDER)
        prompts = [p.name for p in (await session.list_prompts()).prompts]

    assert "upsert_order" in tools and len(tools) == 14
    assert created["order"]["orderNumber"] == "1001"
    assert prompts == ["investigate_delayed_parcel", "handle_damaged_package_claim"]
    assert (await shop.data(STATE))["order"] == {
        "expectedNumberOfShipments": 2,
        "shipments": [{"isDraft": True}, {"isDraft": True}],
    }


async def test_stdio_refuses_a_key_of_another_shop(settings, make_shop, shop: Caller) -> None:
    other = await make_shop("globex", role=Role.ADMIN)
    name, secret = base64.b64decode(other.authorization.split()[1]).decode().split(":", 1)
    server = _server(settings, f"{name}:{secret}")

    process = await asyncio.create_subprocess_exec(
        server.command,
        *server.args,
        env=server.env,
        cwd=server.cwd,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await process.communicate()

    assert process.returncode == 1
    assert stdout == b""  # nothing on the protocol channel
    assert "this API key is not valid for shop 'acme'" in stderr.decode()
