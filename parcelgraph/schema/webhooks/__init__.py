"""The webhooks area of the GraphQL face: webhook and delivery types, queries and mutations."""
