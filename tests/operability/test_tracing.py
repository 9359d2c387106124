"""Traces: with OpenTelemetry configured, one GraphQL request gives an HTTP span, an
operation span from strawberry's extension and a span per SQL statement, in one trace."""

from collections.abc import Iterator

import httpx
import pytest

from parcelgraph.app import create_app
from parcelgraph.config import Settings
from parcelgraph.operability.tracing import instrument_app
from tests.support import basic

pytest.importorskip("opentelemetry.sdk", reason="the [otel] extra is not installed")

from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def traced(settings: Settings, clock) -> Iterator[tuple[object, InMemorySpanExporter]]:  # type: ignore[no-untyped-def]
    app = create_app(settings, clock=clock)
    exporter = InMemorySpanExporter()
    instrument_app(app, "http://collector.invalid:4318", exporter=exporter)
    try:
        yield app, exporter
    finally:
        # The schema is shared by every app of this process: take the extension off again.
        schema = app.state.graphql_schema
        schema.extensions = tuple(
            e for e in schema.extensions if getattr(e, "__name__", "") != "OpenTelemetryExtension"
        )


async def test_one_request_is_one_trace_down_to_the_sql(traced, make_key) -> None:  # type: ignore[no-untyped-def]
    app, exporter = traced
    async with app.router.lifespan_context(app):
        authorization = await make_key(app)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            response = await http.post(
                "/v1/shops/acme/graphql",
                json={"query": 'query Find { order(orderNumber: "1") { id } }'},
                headers={"Authorization": authorization},
            )

    assert response.json()["data"] == {"order": None}
    spans = exporter.get_finished_spans()
    [request] = [span for span in spans if span.name == "POST /v1/shops/acme/graphql"]
    in_trace = [span for span in spans if span.context.trace_id == request.context.trace_id]
    names = {span.name for span in in_trace}
    assert {"GraphQL Parsing", "GraphQL Validation", "GraphQL Query: Find"} <= names
    statements = [span for span in in_trace if span.name.startswith("SELECT ")]
    assert statements and all(span.attributes["db.system"] == "sqlite" for span in statements)


@pytest.fixture
def make_key(clock):  # type: ignore[no-untyped-def]
    from parcelgraph.domain.enums import Role
    from parcelgraph.resolvers import shops

    async def make(app) -> str:  # type: ignore[no-untyped-def]
        async with app.state.db.writer() as session:
            await shops.create(session, slug="acme", now=clock())
            issued = await shops.create_api_key(
                session, shop_slug="acme", role=Role.ADMIN, name="acme-admin", now=clock()
            )
            await session.commit()
        return basic(issued.key.name, issued.secret)

    return make
