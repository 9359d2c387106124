"""Tool input schemas: pydantic's JSON Schema, described by the GraphQL schema.

The GraphQL schema is the one place the API's inputs are described (for introspection, for
agents). A tool-argument model names the GraphQL input type it mirrors (`graphql_type`);
each property without its own description takes the GraphQL field's, and each model the
type's. So a description changed in the schema changes the tool's schema too.
"""

from typing import Any

from graphql import GraphQLInputObjectType, GraphQLSchema
from pydantic import BaseModel


def _models(model: type[BaseModel], seen: dict[str, type[BaseModel]]) -> dict[str, type[BaseModel]]:
    # Every model reachable from `model`, by class name (pydantic's $defs keys).
    if model.__name__ in seen:
        return seen
    seen[model.__name__] = model
    for field in model.model_fields.values():
        for candidate in _types_in(field.annotation):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                _models(candidate, seen)
    return seen


def _types_in(annotation: Any) -> list[Any]:
    args = getattr(annotation, "__args__", None)
    if not args:
        return [annotation]
    found: list[Any] = []
    for arg in args:
        found += _types_in(arg)
    return found


def _describe(node: dict[str, Any], gql_type: Any) -> None:
    if not isinstance(gql_type, GraphQLInputObjectType):
        return
    if gql_type.description and "description" not in node:
        node["description"] = gql_type.description
    for name, prop in node.get("properties", {}).items():
        field = gql_type.fields.get(name)
        if field is not None and field.description and "description" not in prop:
            prop["description"] = field.description


def input_schema(model: type[BaseModel], schema: GraphQLSchema | None) -> dict[str, Any]:
    """The tool's JSON Schema (argument names by alias), with GraphQL's descriptions."""
    result = model.model_json_schema(by_alias=True)
    if schema is None:
        return result
    models = _models(model, {})
    nodes = {model.__name__: result, **result.get("$defs", {})}
    for name, node in nodes.items():
        graphql_name = getattr(models.get(name), "graphql_type", None)
        if graphql_name:
            _describe(node, schema.type_map.get(graphql_name))
    return result


def field_description(schema: GraphQLSchema | None, type_name: str, field: str) -> str:
    """A root field's description (e.g. Mutation.upsertOrder), or an empty string."""
    if schema is None:
        return ""
    parent = schema.type_map.get(type_name)
    definition = getattr(parent, "fields", {}).get(field)
    return (definition.description or "") if definition is not None else ""
