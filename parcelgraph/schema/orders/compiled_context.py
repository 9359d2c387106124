"""The execution context that serves compiled read plans before per-field execution.

It sits where graphql-core executes an operation: after parsing, validation, the cost
check, the rate limit and the credential re-check of the hardening extensions (they run
around this step), so a compiled answer is charged and limited exactly like a normal one,
and its `data` is the same object the cost accounting walks afterwards. A document without
a plan, or a request the plan refuses (`Unsupported`), runs through normal execution.
"""

import logging
from typing import Any

from graphql import GraphQLSchema, OperationDefinitionNode, OperationType

from parcelgraph.schema.common.execution import AcyclicExecutionContext
from parcelgraph.schema.orders import (
    compiled_page_plan,
    compiled_page_run,
    compiled_plan,
    compiled_run,
)

log = logging.getLogger(__name__)

# The root fields with a compiled plan, and how each is compiled.
COMPILERS = {"order": compiled_plan.compile_order, "orders": compiled_page_plan.compile_page}
Plan = compiled_plan.Plan | compiled_page_plan.PagePlan

# Plans are cached per parsed operation: the parser cache hands the same document object
# to every request with the same query text. The operation is kept beside its plan, so an
# id reused by a new object after the old one was freed is not mistaken for it.
_CACHE: dict[int, tuple[OperationDefinitionNode, Plan | None]] = {}
_CACHE_SIZE = 512


def plan_for(schema: GraphQLSchema, operation: OperationDefinitionNode) -> Plan | None:
    """The cached plan of this parsed operation, or None when it has none."""
    cached = _CACHE.get(id(operation))
    if cached is not None and cached[0] is operation:
        return cached[1]
    plan: Plan | None = None
    try:
        field = compiled_plan.root_field(operation)
        compile_field = COMPILERS.get(field.name.value)
        if compile_field is not None:
            plan = compile_field(schema, field)
    except compiled_plan.Unsupported:
        plan = None
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[id(operation)] = (operation, plan)
    return plan


class Switch:
    """Process-wide switch and counter (tests compare both paths; they count hits)."""

    enabled = True
    served = 0


class CompiledReadsExecutionContext(AcyclicExecutionContext):
    """Answers documents with a compiled plan without resolving each field."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        operation = self.operation
        if not Switch.enabled or operation.operation != OperationType.QUERY:
            return super().execute_operation(serially)
        plan = plan_for(self.schema, operation)
        if plan is None:
            return super().execute_operation(serially)
        return self._compiled(plan, serially)

    async def _compiled(self, plan: Plan, serially: bool | None) -> Any:
        try:
            if isinstance(plan, compiled_page_plan.PagePlan):
                data = await compiled_page_run.run(plan, self.context_value, self.variable_values)
            else:
                variables = self.variable_values.coerced
                data = await compiled_run.run(plan, self.context_value, variables)
        except Exception as error:
            # Unsupported: this request is the normal path's to answer (or to refuse). Any
            # other failure (a database error, say) is answered the normal way too, so the
            # client sees the error shape it always sees; the log keeps what went wrong.
            if not isinstance(error, compiled_plan.Unsupported):
                log.warning("compiled read failed, answered by normal execution", exc_info=True)
            result = super().execute_operation(serially)
            return await result if self.is_awaitable(result) else result
        Switch.served += 1
        return self.finish(self.build_response(data))
