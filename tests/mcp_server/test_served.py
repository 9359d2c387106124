"""The MCP endpoint served by a real `parcelgraph serve` (uvicorn) on 127.0.0.1, and the
masking of unexpected errors."""

import asyncio
import logging

import httpx2
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from parcelgraph.resolvers import claims
from tests.mcp_server.support import NEW_ORDER, call, refused
from tests.processes import Server, server_env
from tests.support import Caller


@pytest.fixture
def backend() -> str:
    return "sqlite"  # the served process opens the same database file as the test


async def test_a_served_endpoint_answers_the_sdk_client(settings, tmp_path, editor: Caller) -> None:
    env = server_env(settings.effective_database_url, "", settings.data_dir)
    server = await asyncio.to_thread(Server, env, tmp_path / "serve.log")
    url = f"http://127.0.0.1:{server.port}/v1/shops/{editor.slug}/mcp"
    try:
        async with (
            httpx2.AsyncClient(headers={"Authorization": editor.authorization}) as http,
            streamable_http_client(url, http_client=http) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            created = await call(session, "upsert_order", NEW_ORDER)
            found = await call(session, "find_orders", {"search": "1001"})
    finally:
        await asyncio.to_thread(server.stop)

    assert created["order"]["orderNumber"] == "1001"
    assert [o["orderNumber"] for o in found["orders"]] == ["1001"]
    assert (await editor.data('{ order(orderNumber: "1001") { state } }'))["order"] == {
        "state": "PLACED"
    }


async def test_an_unexpected_error_is_masked_and_logged_once(
    mcp_connect, editor: Caller, monkeypatch, caplog
) -> None:
    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(claims, "create", broken)
    async with mcp_connect(editor.slug, editor.authorization) as session:
        await call(session, "upsert_order", NEW_ORDER)
        with caplog.at_level(logging.ERROR, logger="parcelgraph.mcp_server.errors"):
            [error] = await refused(
                session, "create_claim", {"orderNumber": "1001", "reason": "SUPPORT"}
            )

    reference = error["reference"]
    assert error == {
        "message": f"Unexpected error. Reference: {reference}.",
        "code": "INTERNAL_SERVER_ERROR",
        "field": None,
        "reference": reference,
    }
    [record] = [r for r in caplog.records if reference in r.getMessage()]
    assert record.exc_info[1].args == ("secret internals",)
