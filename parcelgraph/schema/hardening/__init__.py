"""The hardening extension: limits, cost, rate limit, persisted queries, error hygiene.

Per request, before anything runs:

1. the caller's bucket is looked at (so every response can report `throttleStatus`);
2. an automatic persisted query is resolved (persisted.py);
3. the token limit goes to the parser; right after parsing, aliases, fields and repeated
   fields are counted (document_size.py) so that no oversized document reaches validation,
   the expensive step; the prebuilt rules (limits.py) go to validation,
   plus "no introspection" for order-token and anonymous callers (API keys keep it: agents
   learn the API from it). Two rule tuples, both built once, so the ValidationCache hits;
4. once variables are known (on_execute): list-size and exact cost checks, then the cost is
   taken from the caller's leaky bucket (ratelimit.py). A refusal raises before any
   resolver runs: MAX_COST_EXCEEDED, MAX_LIST_SIZE_EXCEEDED or THROTTLED (HTTP 429 with
   Retry-After).

A document refused for its size or shape costs `refused_document_cost` points, so that
refusals cannot be sent for free. After execution the actual cost (what the result holds)
is computed, the unused part of the charge is given back, and `extensions.cost` reports
both figures with the bucket's state.
Errors get a `code` when they have none, and "Did you mean ...?" suggestions (which leak
field names) are removed for callers without an API key.
"""

import math
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from graphql import GraphQLError, get_operation_ast
from graphql.language import IntValueNode
from strawberry.extensions import SchemaExtension
from strawberry.relay.types import InvalidGlobalIDError

from parcelgraph.auth import ApiKeyPrincipal
from parcelgraph.config import get_settings
from parcelgraph.ratelimit import (
    BucketStatus,
    RateLimiter,
    throttled_message,
)
from parcelgraph.schema.hardening import persisted
from parcelgraph.schema.hardening.actual_cost import actual_cost
from parcelgraph.schema.hardening.callers import NoIntrospection, caller_bucket, transport
from parcelgraph.schema.hardening.cost import fragments_of, requested_cost
from parcelgraph.schema.hardening.document_size import REFUSED_DOCUMENT_CODES, size_refusal
from parcelgraph.schema.hardening.limits import (
    Limits,
    cost_refusal,
    refusal,
    rules_for,
    variable_list_refusal,
)
from parcelgraph.schema.hardening.parsing import EARLY_REFUSAL
from parcelgraph.schema.hardening.request_checks import is_variable_error, unnamed_choice
from parcelgraph.schema.hardening.text_guard import RefuseBadText, variable_text_refusal

SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def _rebuilt(
    error: GraphQLError, message: str, extensions: dict[str, Any], **changes: Any
) -> GraphQLError:
    # Validation errors come from the ValidationCache and are shared: never mutate them.
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=changes.get("original_error", error.original_error),
        extensions=extensions,
    )


class Hardening(SchemaExtension):
    """Enforces the limits of the request's settings and reports `extensions.cost`."""

    def __init__(self) -> None:
        super().__init__()
        self.requested: int | None = None
        self.actual: int | None = None
        self.status: BucketStatus | None = None
        self.limits: Limits | None = None
        self.trusted = False
        self._register: str | None = None
        self._limiter: RateLimiter | None = None
        self._bucket = ""

    async def on_operation(self) -> AsyncIterator[None]:
        ec = self.execution_context
        context = ec.context
        settings = getattr(context, "settings", None) or get_settings()
        self.limits = limits = Limits.from_settings(settings)
        self.trusted = isinstance(getattr(context, "principal", None), ApiKeyPrincipal)
        services = getattr(context, "services", None) or {}
        self._limiter = services.get("rate_limiter")
        self._bucket = caller_bucket(context)
        if self._limiter is not None:
            self.status = await self._limiter.take(self._bucket, 0)
            if self.status.available < 1 and not self.trusted:
                # A caller without a key whose budget is empty is refused before parsing,
                # so refused documents cannot buy parser time. (Keys are refused at
                # execution, where the THROTTLED answer can name the operation's cost.)
                setattr(ec, EARLY_REFUSAL, self._throttled(self._emptied(), 1))
        store = persisted.store_for(settings.persisted_query_cache_size)
        ec.query, self._register = persisted.resolve(ec.query, ec.operation_extensions, store)
        ec.parse_options["max_tokens"] = limits.max_tokens
        rules = (*rules_for(limits), RefuseBadText)
        if not self.trusted:
            rules = (*rules, NoIntrospection)
        ec.validation_rules = (*ec.validation_rules, *rules)
        try:
            yield
        except GraphQLError as refused:  # raised while parsing: the token or size limits
            await self._charge_refused_document([refused])
            raise
        if ec.result is not None and ec.result.errors:
            ec.result.errors = [self._tidy(error) for error in ec.result.errors]
            await self._charge_refused_document(ec.result.errors)

    async def on_parse(self) -> AsyncIterator[None]:
        # Runs once CodedParserCache has parsed (it comes first): refuse oversized documents
        # before the ValidationCache's hook validates them.
        ec = self.execution_context
        if ec.graphql_document is not None and self.limits is not None:
            refused = size_refusal(ec.graphql_document, self.limits)
            if refused is not None:
                self.actual = 0
                raise refused
        yield

    async def _charge_refused_document(self, errors: list[GraphQLError]) -> None:
        """A document refused for its size or shape costs the caller a fixed penalty."""
        codes = {(error.extensions or {}).get("code") for error in errors}
        if self._limiter is None or not codes & REFUSED_DOCUMENT_CODES:
            return
        penalty = self._settings().refused_document_cost
        status = await self._limiter.take(self._bucket, penalty)
        if not status.allowed:  # take what is left: the budget is spent either way
            status = await self._limiter.take(self._bucket, math.floor(status.available))
        self.status = status

    def on_validate(self) -> Any:
        yield
        ec = self.execution_context
        errors = ec.pre_execution_errors or []
        for error in errors:
            if error.extensions and error.extensions.get("code") == "MAX_COST_EXCEEDED":
                self.requested = error.extensions["cost"]
        if not errors and self._register and ec.query:
            assert self.limits is not None
            store = persisted.store_for(self._settings().persisted_query_cache_size)
            store.put(self._register, ec.query)

    def _settings(self) -> Any:
        return getattr(self.execution_context.context, "settings", None) or get_settings()

    async def on_execute(self) -> AsyncIterator[None]:
        ec = self.execution_context
        limits = self.limits
        document = ec.graphql_document
        # strawberry's `operation_name` falls back to the first operation's name; the spec
        # asks for an error instead, so the name the client actually sent is checked.
        sent_name = getattr(ec, "_provided_operation_name", ec.operation_name)
        refused = unnamed_choice(document, sent_name) or variable_text_refusal(ec.variables)
        if refused is not None:
            self.actual = 0
            raise refused
        operation = get_operation_ast(document, ec.operation_name) if document else None
        if limits is None or document is None or operation is None:
            yield
            return
        schema = ec.schema._schema
        fragments = fragments_of(document)
        variables = _with_defaults(operation, ec.variables)
        too_long = variable_list_refusal(schema, document, ec.variables, limits.max_list_items)
        if too_long is not None:
            self.actual = 0
            raise too_long
        self.requested = requested_cost(schema, operation, fragments, limits.cost_model, variables)
        if self.requested > limits.max_cost:
            self.actual = 0
            raise cost_refusal(self.requested, limits.max_cost, operation)
        charged = max(self.requested, 1)
        if self._limiter is not None:
            self.status = await self._limiter.take(self._bucket, charged)
            if not self.status.allowed:
                self.actual = 0
                raise self._throttled(self.status, charged)
        yield
        result = ec.result
        data = getattr(result, "data", None)
        self.actual = actual_cost(schema, operation, fragments, data)
        unused = charged - max(self.actual, 1)
        if self._limiter is not None and unused > 0:
            self.status = await self._limiter.refund(self._bucket, unused)

    def _emptied(self) -> BucketStatus:
        """The bucket's state as a refusal of one point (the least any operation costs)."""
        status = self.status
        wait = (1 - status.available) / status.restore_per_second
        return replace(status, allowed=False, retry_after=wait)

    def _throttled(self, status: BucketStatus, charged: int) -> GraphQLError:
        context = self.execution_context.context
        if transport(context) == "http" and getattr(context, "response", None) is not None:
            context.response.status_code = 429
            context.response.headers["Retry-After"] = str(status.retry_after_seconds)
        return refusal(
            throttled_message(charged, status),
            "THROTTLED",
            cost=charged,
            retryAfterSeconds=status.retry_after_seconds,
        )

    def _tidy(self, error: GraphQLError) -> GraphQLError:
        extensions = dict(error.extensions or {})
        message = error.message
        if isinstance(error.original_error, InvalidGlobalIDError):
            # A malformed ID argument is the client's mistake, not ours: say so, unmasked.
            extensions["code"] = "INVALID_ID"
            return _rebuilt(error, message, extensions, original_error=None)
        if "code" not in extensions and is_variable_error(error):
            # graphql-core's coercion message is written for clients; the code says whose
            # mistake it is.
            extensions["code"] = "BAD_USER_INPUT"
        if "code" not in extensions and error.path is None and error.original_error is None:
            extensions["code"] = "GRAPHQL_VALIDATION_FAILED"
        if not self.trusted:
            message = SUGGESTION.sub("", message)
        if message == error.message and extensions == (error.extensions or {}):
            return error
        return _rebuilt(error, message, extensions)

    def get_results(self) -> dict[str, Any]:
        if transport(self.execution_context.context) == "websocket":
            return {}  # stream messages stay lean; the budget was still charged
        status = self.status
        return {
            "cost": {
                "requestedQueryCost": self.requested if self.requested is not None else 0,
                "actualQueryCost": self.actual if self.actual is not None else 0,
                "throttleStatus": None
                if status is None
                else {
                    "maximumAvailable": math.floor(status.capacity),
                    "currentlyAvailable": math.floor(status.available),
                    "restoreRate": status.restore_per_second,
                },
            }
        }


def _with_defaults(operation: Any, variables: dict[str, Any] | None) -> dict[str, Any]:
    """The request's variables plus literal defaults of the operation's page-size variables."""
    merged: dict[str, Any] = {}
    for definition in operation.variable_definitions or ():
        if isinstance(definition.default_value, IntValueNode):
            merged[definition.variable.name.value] = int(definition.default_value.value)
    merged.update(variables or {})
    return merged
