"""The GraphQL schema: types, inputs, payloads, errors, permissions and extensions.

Fields here are thin: they unpack the context, call one use case in `parcelgraph.resolvers`
and map its result (or its expected failure) to schema types.
"""
