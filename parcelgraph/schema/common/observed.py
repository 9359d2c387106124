"""The metrics extension: operations by name and type, their latency, SQL statements per
operation and the errors clients received, by code.

It is the first extension of the schema, so its exit runs last, after masking and the
hardening clean-up: it counts the errors exactly as the client sees them.
"""

import contextlib
import time
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from parcelgraph import metrics

THROTTLED = "THROTTLED"


class OperationMetrics(SchemaExtension):
    """Counts and times each operation; see parcelgraph.metrics for the series."""

    def on_operation(self) -> Iterator[None]:
        statements = [0]
        token = metrics.STATEMENTS.set(statements)
        started = time.perf_counter()
        try:
            yield
        finally:
            # An abandoned operation is closed later, maybe from another context: then the
            # variable is that context's business, and ours went away with the request.
            with contextlib.suppress(ValueError):
                metrics.STATEMENTS.reset(token)
            self._record(time.perf_counter() - started, statements[0])

    def _record(self, seconds: float, statements: int) -> None:
        context = self.execution_context
        try:
            kind = context.operation_type.value
        except RuntimeError:  # the document did not parse: there is no operation
            kind = "invalid"
        except Exception:  # an unknown operation name: counted, not raised from here
            kind = "invalid"
        name = metrics.operation_label(context.operation_name)
        metrics.OPERATIONS.labels(name, kind).inc()
        metrics.OPERATION_SECONDS.labels(name, kind).observe(seconds)
        if kind in (OperationType.QUERY.value, OperationType.MUTATION.value):
            metrics.SQL_STATEMENTS.labels(kind).observe(statements)
        for error in _errors(context):
            code = str((error.extensions or {}).get("code") or "UNCODED")
            metrics.ERRORS.labels(code).inc()
            if code == THROTTLED:
                metrics.RATE_LIMIT_REFUSALS.inc()


def _errors(context: object) -> list[GraphQLError]:
    # The result's errors are the ones the other extensions tidied and masked (what the
    # client gets); the pre-execution list keeps the raw ones, so it is only the fallback.
    result = getattr(context, "result", None)
    if result is not None:
        return list(getattr(result, "errors", None) or [])
    return list(getattr(context, "pre_execution_errors", None) or [])
