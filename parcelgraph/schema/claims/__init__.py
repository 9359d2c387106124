"""The claims area of the GraphQL face: claim types, inputs, mutations and the claims list."""
