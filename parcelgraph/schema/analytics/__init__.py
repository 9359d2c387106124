"""The analytics area of the GraphQL face: the analytics root field and its types."""
