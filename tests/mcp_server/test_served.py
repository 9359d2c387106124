"""The MCP endpoint served by a real uvicorn on 127.0.0.1, and the
masking of unexpected errors."""

import asyncio
import logging

import httpx2
import uvicorn
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from parcelgraph.resolvers import claims
from tests.mcp_server.support import NEW_ORDER, call, refused
from tests.processes import free_port
from tests.support import Caller


async def test_a_served_endpoint_answers_the_sdk_client(app, http, editor: Caller) -> None:
    # uvicorn on a free port of 127.0.0.1, in this event loop; the app's lifespan already
    # runs (the `http` fixture), so uvicorn leaves it alone
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 (uvicorn offers a flag, not an event)
        await asyncio.sleep(0.01)
    url = f"http://127.0.0.1:{port}/v1/shops/{editor.slug}/mcp"
    try:
        async with (
            httpx2.AsyncClient(headers={"Authorization": editor.authorization}) as client,
            streamable_http_client(url, http_client=client) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            created = await call(session, "upsert_order", NEW_ORDER)
            found = await call(session, "find_orders", {"search": "1001"})
        llms = await client_get(f"http://127.0.0.1:{port}/llms.txt")
    finally:
        server.should_exit = True
        await serving

    assert created["order"]["orderNumber"] == "1001"
    assert [o["orderNumber"] for o in found["orders"]] == ["1001"]
    assert f"`http://127.0.0.1:{port}/v1/shops/{{slug}}/mcp`" in llms
    assert (await editor.data('{ order(orderNumber: "1001") { state } }'))["order"] == {
        "state": "PLACED"
    }


async def client_get(url: str) -> str:
    async with httpx2.AsyncClient() as client:
        return (await client.get(url)).text


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
