"""The GraphQL object types of the read graph: Order, Shipment, Product, Event, Claim, ..."""
