"""Write tools take every field their GraphQL twins take and store them the same way."""

from tests.mcp_server.support import call
from tests.support import Caller

READ = """
query { order(orderNumber: "W-1") {
  address { street zipCode countryCode }
  discounts { code amount type }
  orderAnalytics { source campaign landingUrl extras }
  products { sku title quantity kind bundledProducts { sku quantity } }
} }"""


async def test_upsert_order_stores_every_order_field(mcp_connect, editor: Caller) -> None:
    arguments = {
        "id": "W-1",
        "order": {
            "orderNumber": "W-1",
            "address": {
                "addressLine1": "Invalidenstr. 1",
                "addressLine2": "Hof",
                "zipCode": "10115",
                "countryCode": "de",
            },
            "discounts": [{"code": "WELCOME", "amount": "5.00", "type": "fixed"}],
            "orderAnalytics": {
                "source": "newsletter",
                "campaign": "spring",
                "landingUrl": "https://shop.example.com/spring",
                "extras": {"affiliateCode": "A7"},
            },
            "products": [
                {
                    "sku": "SET",
                    "title": "Mug set",
                    "type": "BUNDLE",
                    "bundledProducts": [{"sku": "MUG", "title": "Mug", "quantity": 2}],
                }
            ],
        },
    }
    async with mcp_connect(editor.slug, editor.authorization) as session:
        await call(session, "upsert_order", arguments)

    order = (await editor.data(READ))["order"]
    assert order["address"] == {
        "street": "Invalidenstr. 1 Hof",
        "zipCode": "10115",
        "countryCode": "DE",
    }
    assert order["discounts"] == [{"code": "WELCOME", "amount": "5.0000", "type": "fixed"}]
    assert order["orderAnalytics"] == {
        "source": "newsletter",
        "campaign": "spring",
        "landingUrl": "https://shop.example.com/spring",
        "extras": {"affiliateCode": "A7"},
    }
    [bundle, *_] = order["products"]
    assert (bundle["sku"], bundle["kind"], bundle["bundledProducts"]) == (
        "SET",
        "BUNDLE",
        [{"sku": "MUG", "quantity": 2}],
    )
