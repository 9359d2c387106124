"""Who may call: API keys only, of this shop, by role; nothing tells whether a shop exists."""

import httpx
import pytest
from mcp.shared.exceptions import MCPError

from parcelgraph.domain.enums import Role
from parcelgraph.resolvers import shops
from tests.mcp_server.support import NEW_ORDER, call, codes, refused
from tests.support import Caller, basic

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}
ACCEPT = {"Accept": "application/json, text/event-stream"}


async def _post(http: httpx.AsyncClient, slug: str, authorization: str | None) -> httpx.Response:
    headers = dict(ACCEPT)
    if authorization:
        headers["Authorization"] = authorization
    return await http.post(f"/v1/shops/{slug}/mcp", json=INITIALIZE, headers=headers)


async def test_refused_credentials(http, make_shop, shop: Caller, db, clock) -> None:
    other = await make_shop("globex", role=Role.ADMIN)
    async with db.writer() as session:
        issued = await shops.create_api_key(
            session, shop_slug="acme", role=Role.ADMIN, name="gone", now=clock()
        )
        await shops.revoke_api_key(session, key_id=issued.key.id, now=clock())
        await session.commit()

    missing = await _post(http, "acme", None)
    wrong = await _post(http, "acme", basic("acme-admin", "pgk_wrong"))
    revoked = await _post(http, "acme", basic("gone", issued.secret))
    bearer = await _post(http, "acme", "Bearer pgt_whatever")
    foreign = await _post(http, "acme", other.authorization)
    no_shop = await _post(http, "nope", other.authorization)

    assert [r.status_code for r in (missing, wrong, revoked, bearer)] == [401, 401, 401, 401]
    assert missing.headers["WWW-Authenticate"] == 'Basic realm="parcelgraph"'
    assert missing.json()["error"]["data"] == {"code": "UNAUTHENTICATED"}
    # another shop's key is refused the same way whether the shop exists or not
    assert (foreign.status_code, no_shop.status_code) == (403, 403)
    assert foreign.json() == no_shop.json()
    assert foreign.json()["error"]["data"] == {"code": "FORBIDDEN"}


def _innermost(error: BaseException) -> BaseException:
    while isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
        error = error.exceptions[0]
    return error


async def test_the_sdk_client_is_refused_with_a_wrong_key(mcp_connect, shop: Caller) -> None:
    with pytest.raises(BaseExceptionGroup) as raised:
        async with mcp_connect(shop.slug, basic("acme-admin", "pgk_wrong")):
            pass

    error = _innermost(raised.value)
    assert isinstance(error, MCPError)
    assert (error.error.message, error.error.data) == (
        "Invalid API key.",
        {"code": "UNAUTHENTICATED"},
    )


async def test_a_viewer_is_refused_every_write_tool(mcp_connect, viewer: Caller, db) -> None:
    attempts = {
        "upsert_order": NEW_ORDER,
        "attach_tracking": {"id": "1001", "trackings": [{"trackingNumber": "T1"}]},
        "append_shipment_event": {"trackingNumber": "T1", "eventName": "IN_TRANSIT"},
        "create_claim": {"orderNumber": "1001", "trackingNumber": "T1", "reason": "DAMAGE"},
        "update_claim": {"id": "x", "status": "CLOSED"},
        "redeliver_webhook_delivery": {"id": "x"},
    }
    async with mcp_connect(viewer.slug, viewer.authorization) as session:
        for name, arguments in attempts.items():
            errors = await refused(session, name, arguments)
            assert codes(errors) == [("FORBIDDEN", None)], name
        assert (await call(session, "find_orders", {}))["orders"] == []


async def test_an_editor_is_refused_the_admin_tools(mcp_connect, editor: Caller) -> None:
    async with mcp_connect(editor.slug, editor.authorization) as session:
        redeliver = await refused(session, "redeliver_webhook_delivery", {"id": "x"})
        deliveries = await refused(session, "list_webhook_deliveries", {"webhookId": "x"})

    assert codes(redeliver) == codes(deliveries) == [("FORBIDDEN", None)]
