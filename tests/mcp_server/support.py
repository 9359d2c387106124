"""Helpers for MCP tests: call a tool and read its JSON result."""

from typing import Any

from mcp import ClientSession


async def call(session: ClientSession, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """The structured result of a successful tool call."""
    result = await session.call_tool(name, arguments)
    assert not result.is_error, result.structured_content
    return result.structured_content  # type: ignore[no-any-return]


async def refused(session: ClientSession, name: str, arguments: dict[str, Any]) -> list[dict]:
    """The coded errors of a refused tool call."""
    result = await session.call_tool(name, arguments)
    assert result.is_error, result.structured_content
    return result.structured_content["errors"]  # type: ignore[no-any-return]


def codes(errors: list[dict[str, Any]]) -> list[tuple[str, list[str] | None]]:
    """(code, field) of each error."""
    return [(e["code"], e["field"]) for e in errors]


NEW_ORDER = {
    "id": "1001",
    "order": {
        "orderNumber": "1001",
        "email": "ada@example.com",
        "expectedNumberOfShipments": 2,
        "address": {"zipCode": "10115", "countryCode": "DE", "city": "Berlin"},
        "products": [{"sku": "MUG", "title": "Mug", "quantity": 2, "price": "12.50"}],
    },
}
