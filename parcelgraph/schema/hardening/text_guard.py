"""One guard for every string a client sends: no NUL character, no lone surrogate.

PostgreSQL cannot store U+0000 in text (asyncpg raises), and a lone UTF-16 surrogate is not
Unicode at all: stored, it breaks every later JSON encoding of that value. Both are refused
before anything runs, whatever field, argument or scalar (String, ID, JSON, ...) carries them:

- literals in the document by the validation rule `RefuseBadText`;
- variables by `variable_text_refusal`, called once the variables are known and before they
  are coerced, walking keys and values of every JSON value.

The refusal is a request error (nothing executed) with code INVALID_CHARACTERS and the
`field` path of the offending value. The character itself is never echoed.
"""

from collections.abc import Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    GraphQLError,
    ObjectFieldNode,
    StringValueNode,
    ValidationRule,
    VariableDefinitionNode,
)

from parcelgraph.domain.text import CODE, first_problem, problem

__all__ = ["CODE", "RefuseBadText", "first_problem", "problem", "refusal", "variable_text_refusal"]


def refusal(
    field: list[str | int], reason: str, node: Any = None, *, kind: str = "Argument"
) -> GraphQLError:
    """The INVALID_CHARACTERS request error for the value at `field`."""
    where = ".".join(str(part) for part in field)
    prefix = "$" if kind == "Variable" else ""
    return GraphQLError(
        f"{kind} {prefix}{where} contains {reason}; send well-formed text without it.",
        nodes=node,
        extensions={"code": CODE, "field": [str(part) for part in field]},
    )


def variable_text_refusal(variables: Mapping[str, Any] | None) -> GraphQLError | None:
    """INVALID_CHARACTERS for the first refused string in the request's variables, else None."""
    if not variables:
        return None
    for name, value in variables.items():
        found = first_problem(value, [name])
        if found is not None:
            return refusal(found[0], found[1], kind="Variable")
    return None


class RefuseBadText(ValidationRule):
    """Refuse string literals holding NUL characters or lone surrogates."""

    def enter_string_value(
        self, node: StringValueNode, _key: Any, parent: Any, _path: Any, ancestors: Any
    ) -> None:
        reason = problem(node.value)
        if reason is None:
            return
        field: list[str | int] = []
        for ancestor in (*ancestors, parent):
            if isinstance(ancestor, ArgumentNode | ObjectFieldNode):
                field.append(ancestor.name.value)
            elif isinstance(ancestor, VariableDefinitionNode):
                field.append(ancestor.variable.name.value)
        self.report_error(refusal(field or ["(string)"], reason, node))
