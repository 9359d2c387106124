"""Product (an order's line item, with one level of bundled products)."""

from decimal import Decimal

import strawberry
from strawberry import relay

from parcelgraph.models import LineItem
from parcelgraph.schema.common.enums import ProductKindEnum
from parcelgraph.schema.common.nodes import scoped_nodes
from parcelgraph.schema.orders.values import ImageType, TaxLineType


@strawberry.type(name="Product", description="A product on an order (a line item).")
class ProductType(relay.Node):
    """A line item; bundles list their parts in `bundledProducts`."""

    id: relay.NodeID[str]
    sku: str | None = strawberry.field(description="Stock keeping unit; identifies the product.")
    title: str = strawberry.field(description="Product name as the customer saw it.")
    quantity: int = strawberry.field(description="Units ordered.")
    price: Decimal = strawberry.field(description="Unit price in the order's currency.")
    size: str | None = strawberry.field(description="Size or variant label.")
    weight: int | None = strawberry.field(description="Unit weight in grams.")
    images: list[ImageType] = strawberry.field(description="Product images.")
    tax_lines: list[TaxLineType] = strawberry.field(description="Taxes on this product.")
    kind: ProductKindEnum = strawberry.field(description="PRODUCT or BUNDLE.")  # type: ignore[valid-type]
    bundled_products: list["ProductType"] = strawberry.field(
        description="The parts of a BUNDLE (empty for products)."
    )

    @classmethod
    def from_row(cls, row: LineItem, parts: list[LineItem] | None = None) -> "ProductType":
        """Map a line item (and its bundle parts) to the type."""
        return cls(
            id=str(row.id),
            sku=row.sku,
            title=row.title,
            quantity=row.quantity,
            price=row.price,
            size=row.size,
            weight=row.weight,
            images=[ImageType(src=i.get("src", ""), alt=i.get("alt")) for i in row.images],
            tax_lines=[
                TaxLineType(
                    title=t.get("title"),
                    rate=_decimal(t.get("rate")),
                    price=_decimal(t.get("price")),
                    currency=t.get("currency"),
                )
                for t in row.tax_lines
            ],
            kind=ProductKindEnum(row.type),
            bundled_products=[cls.from_row(p) for p in parts or []],
        )

    resolve_nodes = scoped_nodes(LineItem)


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def product_tree(rows: list[LineItem]) -> list[ProductType]:
    """Top-level products with their bundle parts attached (rows are one order's items)."""
    parts: dict[object, list[LineItem]] = {}
    for row in rows:
        if row.parent_id is not None:
            parts.setdefault(row.parent_id, []).append(row)
    return [ProductType.from_row(r, parts.get(r.id)) for r in rows if r.parent_id is None]
