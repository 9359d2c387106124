"""An execution context that leaves no reference cycle behind a request.

graphql-core 3.3's executor stores bound methods of itself on itself
(`async_helpers = GraphQLResolveInfoHelpers(gather=self.gather_async_work, ...)`), so the
executor references itself and, through it, the request's whole object graph: the
Context, its DataLoaders and their futures, every row loaded. None of that is freed when
the request ends; only the cyclic garbage collector can free it, and a full collection
over a warm server's heap costs tens of milliseconds. The helpers here reach the executor
through a weak reference instead, so reference counting frees a request as soon as it
ends. `tests/schema/common/test_gc_per_request.py` counts the cyclic garbage a request leaves, so an
upgrade that brings a cycle back fails a test.
"""

import weakref
from collections.abc import Awaitable, Sequence
from typing import Any

from graphql import GraphQLResolveInfoHelpers
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


class AcyclicExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """strawberry's execution context with `async_helpers` that do not own the executor."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.async_helpers = _weak_helpers(self)


def _weak_helpers(executor: StrawberryGraphQLCoreExecutionContext) -> GraphQLResolveInfoHelpers:
    # Module-level closures over a weak reference: they keep nothing alive. The executor
    # outlives every resolver it runs, so the reference is always live when called.
    ref = weakref.ref(executor)

    def gather(values: Sequence[Awaitable[Any]]) -> Awaitable[list[Any]]:
        return _live(ref).gather_async_work(values)

    def track(values: Sequence[Any]) -> None:
        _live(ref).track_async_work(values)

    return GraphQLResolveInfoHelpers(gather=gather, track=track)


def _live(ref: "weakref.ref[StrawberryGraphQLCoreExecutionContext]") -> Any:
    executor = ref()
    if executor is None:  # a resolver kept `info` past its request: a bug worth a clear error
        raise RuntimeError("GraphQL execution already finished")
    return executor
