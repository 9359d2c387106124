"""The execution context that serves compiled read plans before per-field execution.

It sits where graphql-core executes an operation: after parsing, validation, the cost
check, the rate limit and the credential re-check of the hardening extensions (they run
around this step), so a compiled answer is charged and limited exactly like a normal one,
and its `data` is the same object the cost accounting walks afterwards. A document without
a plan, or a request the plan refuses (`Unsupported`), runs through normal execution.
"""

import logging
from typing import Any

from graphql import OperationType

from parcelgraph.schema.common.execution import AcyclicExecutionContext
from parcelgraph.schema.orders import compiled_plan, compiled_run

log = logging.getLogger(__name__)


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
        plan = compiled_plan.plan_for(self.schema, operation)
        if plan is None:
            return super().execute_operation(serially)
        return self._compiled(plan, serially)

    async def _compiled(self, plan: compiled_plan.Plan, serially: bool | None) -> Any:
        try:
            data = await compiled_run.run(plan, self.context_value, self.variable_values.coerced)
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
