"""Fixtures: the SDK's own MCP client talking to the app over streamable HTTP (in-process)."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx2
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

Connect = Callable[..., AbstractAsyncContextManager[ClientSession]]


@pytest.fixture
def mcp_connect(app: Any, http: Any) -> Connect:
    """`async with mcp_connect(slug, authorization) as session:` an initialized ClientSession."""

    @asynccontextmanager
    async def connect(slug: str, authorization: str | None) -> AsyncIterator[ClientSession]:
        headers = {"Authorization": authorization} if authorization else {}
        transport = httpx2.ASGITransport(app=app)
        async with (
            httpx2.AsyncClient(
                transport=transport, base_url="http://test", headers=headers
            ) as client,
            streamable_http_client(f"http://test/v1/shops/{slug}/mcp", http_client=client) as (
                read,
                write,
            ),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            yield session

    return connect
