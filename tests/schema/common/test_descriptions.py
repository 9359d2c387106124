"""A standing guard: everything an introspecting client (an AI agent) can see has a
description — types, fields, arguments, enum values and input fields."""

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
)

from parcelgraph.schema.root import schema

# graphql-core's own scalars are described by the GraphQL spec itself.
SPEC_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}


def missing_descriptions() -> list[str]:
    missing: list[str] = []
    for name, named in schema._schema.type_map.items():
        if name.startswith("__") or name in SPEC_SCALARS:
            continue
        if not (named.description or "").strip():
            missing.append(f"type {name}")
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                if not (field.description or "").strip():
                    missing.append(f"field {name}.{field_name}")
                for arg_name, arg in field.args.items():
                    if not (arg.description or "").strip():
                        missing.append(f"argument {name}.{field_name}({arg_name})")
        elif isinstance(named, GraphQLInputObjectType):
            for field_name, field in named.fields.items():
                if not (field.description or "").strip():
                    missing.append(f"input field {name}.{field_name}")
        elif isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                if not (value.description or "").strip():
                    missing.append(f"enum value {name}.{value_name}")
        elif not isinstance(named, GraphQLScalarType | GraphQLUnionType):
            missing.append(f"unchecked kind {name}")
    return sorted(missing)


def test_everything_in_the_schema_has_a_description() -> None:
    assert missing_descriptions() == []


def test_the_guard_sees_the_read_graph() -> None:
    # the walk must reach the types it guards, or an empty result would prove nothing
    names = set(schema._schema.type_map)
    assert {"Order", "OrderConnection", "OrderFilter", "OrderSort", "Analytics"} <= names
