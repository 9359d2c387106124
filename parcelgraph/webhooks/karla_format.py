"""The seed platform's webhook envelope, derived from parcelgraph's stored envelope.

A KARLA webhook receives the documented envelope only: `source`, `ref`, `version`,
`triggered_at`, `event_group`, `event_data`, `context` (`order`, `customer`, `shipments`,
`claims`) and `shop_slug`, with lower-case enum values and money as JSON numbers. The
conversion is a pure function of the stored body, so every retry of a delivery sends the
same bytes. `event_data.event_id` carries the stable event id receivers de-duplicate by.
"""

import json
from decimal import Decimal
from typing import Any

ENVELOPE_KEYS = ("source", "ref", "version", "triggered_at", "event_group", "shop_slug")
SHIPMENT_EVENT_KEYS = (
    "shipment_id",
    "tracking_number",
    "tracking_url",
    "carrier_reference",
    "event_name",
    "phase",
    "updated_at",
)
CLAIM_EVENT_KEYS = (
    "claim_id",
    "event_name",
    "event_group",
    "created_at",
    "updated_at",
    "description",
    "customer_signature_image_url",
    "image_urls",
    "optional_image_urls",
)
CLAIM_ENUM_KEYS = ("reason", "status", "resolution_preference")
ORDER_KEYS = ("order_number", "order_name", "external_id", "order_placed_at", "currency")
MONEY_KEYS = ("total_order_price", "sub_total_price", "shipping_price", "discount_price")


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _number(value: Any) -> Any:
    # Stored amounts are exact decimal strings; v1 sends JSON numbers.
    return float(Decimal(value)) if isinstance(value, str) else value


def _pick(source: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: source.get(k) for k in keys}


def _order(order: dict[str, Any] | None) -> dict[str, Any] | None:
    if order is None:
        return None
    out = {"uuid": order.get("id"), **_pick(order, ORDER_KEYS), "external_customer_id": None}
    out.update({k: _number(order.get(k)) for k in MONEY_KEYS})
    out["expected_number_of_shipments"] = order.get("expected_number_of_shipments")
    out["segments"] = order.get("segments") or []
    return out


def _customer(customer: dict[str, Any] | None) -> dict[str, Any] | None:
    if customer is None:
        return None
    first, _, last = (customer.get("name") or "").strip().partition(" ")
    return {
        "external_id": None,
        "email": customer.get("email"),
        "first_name": first or None,
        "last_name": last.strip() or None,
    }


def _shipment(shipment: dict[str, Any]) -> dict[str, Any]:
    out = _pick(shipment, ("id", "tracking_number", "tracking_url", "carrier_reference", "phase"))
    out["direction"] = _lower(shipment.get("direction"))
    return out


def _claim(claim: dict[str, Any]) -> dict[str, Any]:
    out = _pick(claim, ("id", "shipment_id", "created_at"))
    out.update({k: _lower(claim.get(k)) for k in CLAIM_ENUM_KEYS})
    return out


def _item(item: dict[str, Any]) -> dict[str, Any]:
    out = _pick(item, ("sku", "title", "quantity", "image_urls"))
    out["net_price"] = _number(item.get("net_price"))
    return out


def _event_data(source: str, data: dict[str, Any], event_id: Any) -> dict[str, Any]:
    if source == "claims":
        out = _pick(data, CLAIM_EVENT_KEYS)
        out.update({k: _lower(data.get(k)) for k in CLAIM_ENUM_KEYS})
        out["selected_items"] = [_item(i) for i in data.get("selected_items") or []]
    elif source == "shipments":
        out = _pick(data, SHIPMENT_EVENT_KEYS)
        out["direction"] = _lower(data.get("direction"))
    else:  # a test ping: its message, as sent
        out = dict(data)
    out["event_id"] = event_id
    return out


def karla_envelope(envelope: dict[str, Any]) -> dict[str, Any]:
    """The documented v1 envelope of one parcelgraph envelope."""
    context = envelope.get("context") or {}
    out = _pick(envelope, ENVELOPE_KEYS)
    out["event_data"] = _event_data(
        envelope.get("source", ""), envelope.get("event_data") or {}, envelope.get("id")
    )
    out["context"] = {
        "order": _order(context.get("order")),
        "customer": _customer(context.get("customer")),
        "shipments": [_shipment(s) for s in context.get("shipments") or []],
        "claims": [_claim(c) for c in context.get("claims") or []],
    }
    return out


def karla_body(body: bytes) -> bytes:
    """The KARLA body of a stored body (compact JSON, keys in documented order)."""
    converted = karla_envelope(json.loads(body))
    return json.dumps(converted, separators=(",", ":")).encode("utf-8")
