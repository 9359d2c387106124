"""SQLModel tables, one module per aggregate. Importing this package registers them all."""

from parcelgraph.models.carrier_credential import CarrierCredential
from parcelgraph.models.claim import Claim, ClaimItem
from parcelgraph.models.event import Event, EventEnvelope
from parcelgraph.models.idempotency import IdempotencyRecord
from parcelgraph.models.order import Discount, LineItem, Order, OrderAnalytics
from parcelgraph.models.shipment import Shipment, ShipmentItem
from parcelgraph.models.shop import ApiKey, Shop
from parcelgraph.models.token import OrderToken
from parcelgraph.models.webhook import Webhook, WebhookAttempt, WebhookDelivery

__all__ = [
    "ApiKey",
    "CarrierCredential",
    "Claim",
    "ClaimItem",
    "Discount",
    "Event",
    "EventEnvelope",
    "IdempotencyRecord",
    "LineItem",
    "Order",
    "OrderAnalytics",
    "OrderToken",
    "Shipment",
    "ShipmentItem",
    "Shop",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
]
