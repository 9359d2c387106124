"""The REST v1 face: the seed platform's v1 API over the same use cases as GraphQL.

`install(app)` mounts every operation under `/v1/shops/{slug}/...` and serves their
OpenAPI document at `/v1/openapi.json` (only the REST operations, not GraphQL's routes).
"""

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from parcelgraph import __version__
from parcelgraph.rest import claims, order_edits, orders, webhooks

OPENAPI_PATH = "/v1/openapi.json"
ROUTERS = (orders.router, order_edits.router, claims.router, webhooks.router)
DESCRIPTION = (
    "REST v1: orders, shipments, claims and webhooks of one shop, compatible with the seed "
    "platform's v1 API (snake_case JSON, lower-case enum values, ISO 8601 date-times, money "
    "as numbers). Authenticate with HTTP Basic: username = the API key's name, password = "
    "the key. Roles: viewer reads, editor writes orders and claims, admin manages webhooks. "
    "Every 4xx answer is `{errors, key, message, type}`."
)


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document of the REST operations (what `/v1/openapi.json` serves)."""
    routes = [route for router in ROUTERS for route in router.routes]
    document = get_openapi(
        title="parcelgraph REST v1",
        version=__version__,
        description=DESCRIPTION,
        routes=routes,
    )
    document["components"]["securitySchemes"] = {
        "basic": {"type": "http", "scheme": "basic", "description": "API key name and key."}
    }
    document["security"] = [{"basic": []}]
    return document


def openapi_text() -> str:
    """The OpenAPI document as the committed `openapi.json` holds it."""
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n"


def install(app: FastAPI) -> None:
    """Add the REST operations and their OpenAPI document to `app`."""
    for router in ROUTERS:
        app.include_router(router, include_in_schema=False)
    document = openapi_document()

    @app.get(OPENAPI_PATH, include_in_schema=False)
    async def openapi() -> JSONResponse:
        return JSONResponse(document)
