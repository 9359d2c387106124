"""openapi.json (committed) is exactly the REST v1 document the code builds and serves, and
it describes every operation, field and enum, so a client can be generated from it alone.

Regenerate it with `parcelgraph export-openapi` after changing a REST operation or model.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from parcelgraph.rest import openapi_document, openapi_text

COMMITTED = Path(__file__).resolve().parents[2] / "openapi.json"


def test_openapi_file_matches_the_code() -> None:
    assert COMMITTED.read_text() == openapi_text(), (
        "openapi.json is stale: run `parcelgraph export-openapi`"
    )


async def test_the_document_is_served_at_v1_openapi_json(http) -> None:
    response = await http.get("/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == json.loads(COMMITTED.read_text())


def _schemas_missing_descriptions(name: str, schema: dict[str, Any]) -> Iterator[str]:
    if "description" not in schema:
        yield name
    for field, spec in schema.get("properties", {}).items():
        if "description" not in spec:
            yield f"{name}.{field}"


def test_every_operation_parameter_field_and_enum_is_described() -> None:
    document = openapi_document()
    missing: list[str] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if not operation.get("description") or not operation.get("summary"):
                missing.append(f"{method.upper()} {path}")
            for parameter in operation.get("parameters", []):
                if not parameter.get("description"):
                    missing.append(f"{method.upper()} {path} ?{parameter['name']}")
    for name, schema in document["components"]["schemas"].items():
        missing += _schemas_missing_descriptions(name, schema)
    assert missing == []


def test_the_documented_paths_are_served() -> None:
    operations = {
        f"{method.upper()} {path.removeprefix('/v1/shops/{slug}')}"
        for path, item in openapi_document()["paths"].items()
        for method in item
    }
    assert operations == {
        "GET /orders",
        "POST /orders",
        "PUT /orders",
        "PUT /orders/bulk",
        "PATCH /orders/{order_id}",
        "PATCH /orders/{order_id}/shipments/{shipment_id}",
        "PUT /orders/{order_id}/analytics",
        "POST /claims",
        "GET /claims",
        "GET /claims/{claim_id}",
        "PUT /claims/{claim_id}",
        "POST /webhooks",
        "GET /webhooks",
        "GET /webhooks/{webhook_id}",
        "PATCH /webhooks/{webhook_id}",
        "DELETE /webhooks/{webhook_id}",
    }
