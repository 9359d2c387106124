"""Grouped execution of identical subscription documents: one execution per event per group.

A thousand tracking widgets often hold the same subscription document with the same
variables under the same credential. Each of them keeps its own stream (its own bounded
broker inbox, cursor, revocation re-check, and hang-up when it stops reading), so a slow
client still delays no one and every refusal, replay and error stays exactly as it is for a
lone subscriber. What they share is the work that does not depend on who reads it:
executing the selection set on an event they all receive. The first member to reach an
event executes it; the others await that execution or reuse its result, for `RESULT_TTL`
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
        self._groups: dict[GroupKey, OrderedDict[Hashable, tuple[float, asyncio.Future[Any]]]]
        self._groups = {}

    def run(
        self, group: GroupKey, event: Hashable, execute: Callable[[], Awaitable[Any]]
    ) -> Awaitable[Any]:
        """The result of `execute()` for `event` in `group`: run once, awaited by all."""
        now = time.monotonic()
        results = self._groups.setdefault(group, OrderedDict())
        known = results.get(event)
        if known is not None and known[0] > now:
            self.shared += 1
            return asyncio.shield(known[1])
        # A task of its own, shielded: a member hanging up mid-execution must not cancel
        # the execution the rest of its group awaits.
        future = asyncio.ensure_future(execute())
        results[event] = (now + self.ttl, future)
        results.move_to_end(event)
        while len(results) > self.per_group:
            results.popitem(last=False)
        self.executions += 1
        if self.executions % SWEEP_EVERY == 0:
            self._sweep(now)
        return asyncio.shield(future)

    def _sweep(self, now: float) -> None:
        for group in [g for g, results in self._groups.items() if _expired(results, now)]:
            del self._groups[group]

    def group_count(self) -> int:
        """Groups with results still held."""
        return len(self._groups)

    def clear(self) -> None:
        """Forget every held result (tests)."""
        self._groups.clear()


def _expired(results: "OrderedDict[Hashable, tuple[float, Any]]", now: float) -> bool:
    return not results or next(reversed(results.values()))[0] <= now


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

    def execute_operation(self, serially: bool | None = None) -> Awaitable[Any]:
        executor = self.executor

        async def execute() -> Any:
            result = executor.execute_operation(serially)
            return await result if executor.is_awaitable(result) else result

        return GROUPS.run(self.group, self.event, execute)


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
