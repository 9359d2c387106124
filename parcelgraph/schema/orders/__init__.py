"""The orders area of the GraphQL face: order types, inputs, payloads, mutations, queries."""
