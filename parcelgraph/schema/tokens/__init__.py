"""The customer-access area of the GraphQL face: order tokens and the anonymous tracking lookup."""
