"""Grouped execution of identical subscription documents: one execution per event per group.

A thousand tracking widgets often hold the same subscription document with the same
variables under the same credential. Each of them keeps its own stream (its own bounded
broker inbox, cursor, revocation re-check, and hang-up when it stops reading), so a slow
client still delays no one and every refusal, replay and error stays exactly as it is for a
lone subscriber. What they share is the work that does not depend on who reads it:
executing the selection set on an event they all receive. The first member to reach an
event executes it (inline, as without grouping); the others await that execution or reuse
its result, for `RESULT_TTL`
seconds (a member lagging further behind executes again, so a shared result is never older
than that).

A group is strict on purpose: the same schema and database, the same printed operation and
fragments, the same coerced variables, the same shop, and the same credential (one API key
with its role, or one order token with its order). Two keys of one role would see the same
data, but revoking one must end its streams and not the other's, so they are not grouped.
Anonymous callers, and payloads that do not name their event (`shared_execution_key`), are
executed as before.
"""

import asyncio
import inspect
import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from graphql import print_ast

from parcelgraph.auth import ApiKeyPrincipal, CustomerPrincipal

RESULT_TTL = 10.0  # seconds a result is reused for later members of its group
PER_GROUP = 128  # results kept per group (the newest events)
SWEEP_EVERY = 256  # executions between sweeps of groups whose results all expired

GroupKey = tuple[Hashable, ...]
# A group's remembered executions: event → (expiry on the monotonic clock, the execution).
Results = OrderedDict[Hashable, tuple[float, "asyncio.Future[Any]"]]


class ExecutionGroups:
    """Single-flight, briefly remembered executions keyed by group and event.

    `executions` counts selection sets actually executed, `shared` the member deliveries
    served from another member's execution (tests and metrics read both).
    """

    def __init__(self, ttl: float = RESULT_TTL, per_group: int = PER_GROUP) -> None:
        self.ttl = ttl
        self.per_group = per_group
        self.enabled = True
        self.executions = 0
        self.shared = 0
        self._groups: dict[GroupKey, Results] = {}

    def run(self, group: GroupKey, event: Hashable, execute: Callable[[], Any]) -> Any:
        """`execute()`'s result for `event` in `group` (a value, or an awaitable when the
        execution is asynchronous): executed by the first caller, reused by the others."""
        now = time.monotonic()
        results = self._groups.setdefault(group, OrderedDict())
        known = results.get(event)
        if known is not None and known[0] > now:
            self.shared += 1
            return _reuse(known[1], execute)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        results[event] = (now + self.ttl, future)
        results.move_to_end(event)
        while len(results) > self.per_group:
            results.popitem(last=False)
        self.executions += 1
        if self.executions % SWEEP_EVERY == 0:
            self._sweep(now)
        # The first caller executes inline, exactly as without grouping (no extra task);
        # a synchronous result is shared at once.
        try:
            result = execute()
        except Exception as error:
            _settle_error(future, error)
            raise
        if not inspect.isawaitable(result):
            future.set_result(result)
            return result
        return _settle(result, future)

    def _sweep(self, now: float) -> None:
        for group in [g for g, results in self._groups.items() if _expired(results, now)]:
            del self._groups[group]

    def group_count(self) -> int:
        """Groups with results still held."""
        return len(self._groups)

    def clear(self) -> None:
        """Forget every held result (tests)."""
        self._groups.clear()


class Abandoned(Exception):
    """The member executing an event was cancelled (it hung up): the others execute it."""


def _expired(results: Results, now: float) -> bool:
    return not results or next(reversed(results.values()))[0] <= now


def _settle_error(future: "asyncio.Future[Any]", error: BaseException) -> None:
    # An error of the execution is the group's answer; a cancellation is not.
    future.set_exception(error if isinstance(error, Exception) else Abandoned())
    future.exception()  # retrieved here: a future nobody else awaits must not log


async def _settle(awaitable: Awaitable[Any], future: "asyncio.Future[Any]") -> Any:
    try:
        result = await awaitable
    except BaseException as error:
        _settle_error(future, error)
        raise
    future.set_result(result)
    return result


def _reuse(future: "asyncio.Future[Any]", execute: Callable[[], Any]) -> Any:
    if future.done() and future.exception() is None:
        return future.result()
    return _await_or_execute(future, execute)


async def _await_or_execute(future: "asyncio.Future[Any]", execute: Callable[[], Any]) -> Any:
    try:
        return await asyncio.shield(future)
    except Abandoned:
        result = execute()
        return await result if inspect.isawaitable(result) else result


GROUPS = ExecutionGroups()


def visibility(context: Any) -> tuple[Hashable, ...] | None:
    """Who sees what: database, shop and credential (None: never grouped)."""
    shop = getattr(context, "shop", None)
    principal = getattr(context, "principal", None)
    if shop is None:
        return None
    if isinstance(principal, ApiKeyPrincipal):
        who: tuple[Hashable, ...] = (
            "key",
            principal.key_id,
            str(principal.role),
            principal.platform,
        )
    elif isinstance(principal, CustomerPrincipal):
        who = ("token", principal.token_id, principal.order_id)
    else:
        return None
    return (id(context.db), shop.id, *who)


def group_key(executor: Any) -> GroupKey | None:
    """The group of a subscription executor's operation, or None when it is not grouped."""
    seen = visibility(executor.context_value)
    if seen is None:
        return None
    fragments = executor.fragments or {}
    try:
        variables = json.dumps(
            getattr(executor.variable_values, "coerced", executor.variable_values),
            sort_keys=True,
            default=repr,
        )
    except (TypeError, ValueError):
        return None
    document = "\n".join(
        [print_ast(executor.operation), *(print_ast(fragments[n]) for n in sorted(fragments))]
    )
    return (id(executor.schema), document, variables, *seen)


class SharedEvent:
    """A per-event executor whose execution is shared with the rest of its group."""

    def __init__(self, executor: Any, group: GroupKey, event: Hashable) -> None:
        self.executor = executor
        self.group = group
        self.event = event

    def execute_operation(self, serially: bool | None = None) -> Any:
        executor = self.executor
        return GROUPS.run(self.group, self.event, lambda: executor.execute_operation(serially))


_UNSET: Any = object()


class GroupedSubscriptionsMixin:
    """Executor mixin: events whose payload names itself are executed once per group."""

    _group_key: Any = _UNSET

    def build_per_event_executor(self, payload: Any) -> Any:
        executor = super().build_per_event_executor(payload)  # type: ignore[misc]
        name = getattr(payload, "shared_execution_key", None)
        if name is None or not GROUPS.enabled:
            return executor
        if self._group_key is _UNSET:
            self._group_key = group_key(self)
        if self._group_key is None:
            return executor
        return SharedEvent(executor, self._group_key, name())
