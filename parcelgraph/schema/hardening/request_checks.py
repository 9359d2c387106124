"""Request-level checks on a parsed document: which errors are the client's variables, and
the spec's rule that several operations need an operationName."""

from typing import Any

from graphql import GraphQLError
from graphql.language import VariableDefinitionNode

from parcelgraph.schema.hardening.limits import operations_of


def is_variable_error(error: GraphQLError) -> bool:
    """True for graphql-core's variable coercion errors (a value does not fit its type)."""
    nodes = error.nodes or ()
    return (
        error.path is None
        and bool(nodes)
        and all(isinstance(node, VariableDefinitionNode) for node in nodes)
    )


def unnamed_choice(document: Any, operation_name: str | None) -> GraphQLError | None:
    """The spec's error for several operations and no operationName (never run the first)."""
    if document is None or operation_name or len(operations_of(document)) < 2:
        return None
    return GraphQLError(
        "Must provide operation name if query contains multiple operations.",
        extensions={"code": "OPERATION_NAME_REQUIRED"},
    )
