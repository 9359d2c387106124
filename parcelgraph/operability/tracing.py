"""OpenTelemetry traces, when `otlp_endpoint` is set: a span per HTTP request and WebSocket
(ASGI instrumentation), per GraphQL operation and resolver (strawberry's extension) and per
SQL statement (SQLAlchemy instrumentation), exported over OTLP/HTTP.

The packages come with the optional `[otel]` extra and are imported only here, only when
tracing is asked for, so the default install neither needs nor loads them.
"""

from typing import Any

MISSING = (
    "otlp_endpoint is set but OpenTelemetry is not installed: "
    "pip install 'parcelgraph[otel]' (or unset PARCELGRAPH_OTLP_ENDPOINT)"
)


def instrument_app(app: Any, endpoint: str, *, exporter: Any = None) -> Any:
    """Trace `app` to `endpoint` (or to `exporter`, for tests); returns the tracer provider.
    The app's lifespan instruments its database engines with `instrument_engines`."""
    try:
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
        from strawberry.extensions.tracing import OpenTelemetryExtension
    except ImportError as missing:
        raise RuntimeError(MISSING) from missing

    provider = TracerProvider(resource=Resource.create({"service.name": "parcelgraph"}))
    if exporter is None:
        url = endpoint.rstrip("/") + "/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=url)))
    else:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    # strawberry's extension asks the global provider for its tracer.
    trace.set_tracer_provider(provider)
    app.add_middleware(OpenTelemetryMiddleware, tracer_provider=provider)
    app.state.tracer_provider = provider
    schema = app.state.graphql_schema
    if OpenTelemetryExtension not in schema.extensions:
        # Last: its spans then cover only execution, inside the checks of the others.
        schema.extensions = (*schema.extensions, OpenTelemetryExtension)
    return provider


def instrument_engines(provider: Any, *engines: Any) -> None:
    """A span per SQL statement of these (async) engines."""
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    # The instrumentation declares "sqlalchemy < 2.1" while it works with the engine events of
    # 2.1 unchanged (tests/operability/test_tracing.py checks the spans): skip that check.
    SQLAlchemyInstrumentor().instrument(
        engines=[engine.sync_engine for engine in engines],
        tracer_provider=provider,
        skip_dep_check=True,
    )
