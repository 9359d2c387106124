"""The shipments-and-events area of the GraphQL face.

Shipment and event types, `appendShipmentEvent`, the event catalogue, carrier detection,
the shipment and event lists, and the subscriptions.
"""
