"""REST v1 helpers for tests: payloads shaped like the Shopware plugin's, and a client."""

from dataclasses import dataclass
from typing import Any

import httpx

from tests.support import Caller


@dataclass
class Rest:
    """Someone calling one shop's REST v1 with fixed credentials."""

    http: httpx.AsyncClient
    slug: str
    authorization: str | None

    @classmethod
    def of(cls, caller: Caller) -> "Rest":
        """The REST face for the same shop and key as a GraphQL caller."""
        return cls(caller.http, caller.slug, caller.authorization)

    async def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request to /v1/shops/{slug}{path}."""
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.authorization:
            headers["Authorization"] = self.authorization
        url = f"/v1/shops/{self.slug}{path}"
        return await self.http.request(method, url, headers=headers, **kwargs)

    async def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        """The JSON body of a call that must answer `status`."""
        response = await self.call(method, path, **kwargs)
        assert response.status_code == status, response.text
        return response.json() if response.content else None


def sw_order(number: str = "10001", **changes: Any) -> dict[str, Any]:
    """An order as the Shopware plugin builds it (OrderSubscriber)."""
    order: dict[str, Any] = {
        "order_number": number,
        "external_id": f"sw-{number}",
        "external_customer_id": "cust-77",
        "order_placed_at": "2026-11-23T11:00:00+00:00",
        "email_id": "ada@example.com",
        "currency": "EUR",
        "total_order_price": 54.9,
        "sub_total_price": 49.9,
        "shipping_price": 5.0,
        "discount_price": 0,
        "expected_number_of_shipments": 2,
        "address": {
            "name": "Ada Lovelace",
            "street": "Hauptstr. 5, Hinterhaus",
            "address_line_1": "Hauptstr. 5",
            "address_line_2": "Hinterhaus",
            "city": "Berlin",
            "zip_code": "10115",
            "country": "Germany",
            "country_code": "DE",
        },
        "products": [
            {
                "product_id": "p-1",
                "variant_id": "v-1",
                "sku": "MUG",
                "title": "Mug",
                "quantity": 3,
                "price": 9.9,
                "images": [{"src": "https://shop.example/mug.png"}],
            },
            {
                "product_id": "p-2",
                "variant_id": "v-2",
                "sku": "POSTER",
                "title": "Poster",
                "quantity": 1,
                "price": 20.2,
            },
        ],
        "discounts": [],
    }
    order.update(changes)
    return order


def sw_upsert(number: str = "10001", *, order: bool = True, trackings=(), **extra: Any) -> Any:
    """An upsert body as the plugin sends it: `order_analytics` next to `id`, trackings
    without `carrier_reference`."""
    body: dict[str, Any] = {
        "id": number,
        "order_analytics": {"affiliate_code": "AFF-1", "campaign_code": "WINTER"},
        "trackings": list(trackings),
    }
    if order:
        body["order"] = sw_order(number)
    body.update(extra)
    return body


def sw_tracking(number: str, sku: str, quantity: int) -> dict[str, Any]:
    """A tracking as the plugin sends it: no carrier reference (detected from the number)."""
    return {
        "tracking_number": number,
        "tracking_placed_at": "2026-11-23T12:00:00+00:00",
        "products": [{"sku": sku, "quantity": quantity, "title": sku.title()}],
    }
