"""Line items and addresses as REST v1 returns them (shared by orders, trackings, claims)."""

from typing import Any

from pydantic import BaseModel, Field

from parcelgraph.rest.views import from_row


class ImageOut(BaseModel):
    """A product image."""

    src: str = Field(description="Image URL.")
    alt: str | None = Field(None, description="Text alternative.")


class TaxLineOut(BaseModel):
    """A tax of a product."""

    title: str | None = Field(None, description="Name of the tax.")
    rate: float | None = Field(None, description="Rate, e.g. 0.19.")
    price: float | None = Field(None, description="Tax amount.")
    currency: str | None = Field(None, description="ISO 4217 code.")


class ProductOut(BaseModel):
    """A line item (in a shipment: the units that travel in it)."""

    title: str = Field(description="Product name.")
    quantity: int = Field(description="Units (in a shipment: units in that package).")
    price: float = Field(description="Unit price.")
    size: str | None = Field(None, description="Size or variant label.")
    sku: str | None = Field(None, description="Stock keeping unit.")
    weight: int | None = Field(None, description="Unit weight in grams.")
    images: list[ImageOut] = Field(default_factory=list, description="Product images.")
    tax_lines: list[TaxLineOut] = Field(default_factory=list, description="Taxes.")
    type: str = Field("product", description="`product` or `bundle`.")
    bundled_products: list["ProductOut"] = Field(
        default_factory=list, description="Parts of a bundle."
    )


class AddressOut(BaseModel):
    """A postal address."""

    name: str | None = Field(None, description="Recipient.")
    company: str | None = Field(None, description="Company.")
    address_line_1: str | None = Field(None, description="Line 1.")
    address_line_2: str | None = Field(None, description="Line 2.")
    street: str | None = Field(None, description="Lines 1 and 2 together.")
    city: str | None = Field(None, description="City.")
    zip_code: str | None = Field(None, description="Postal code.")
    province: str | None = Field(None, description="Province name.")
    province_code: str | None = Field(None, description="ISO 3166-2 code.")
    country: str | None = Field(None, description="Country name.")
    country_code: str | None = Field(None, description="ISO 3166-1 alpha-2 code.")
    phone: str | None = Field(None, description="Phone.")


def product_out(line: Any, parts: list[Any], quantity: int | None = None) -> ProductOut:
    """A line item (its stored images and tax lines as they are), with `quantity` units when
    given (a shipment's share) and `parts` as its bundled products."""
    return from_row(
        ProductOut,
        line,
        quantity=line.quantity if quantity is None else quantity,
        type=line.type.lower(),
        bundled_products=[product_out(p, []) for p in parts],
    )


def address_out(data: dict[str, Any] | None) -> AddressOut | None:
    """A stored address in v1 names (address_line_1, address_line_2)."""
    if not data:
        return None
    values = dict(data)
    values["address_line_1"] = values.pop("address_line1", None)
    values["address_line_2"] = values.pop("address_line2", None)
    return AddressOut(**values)
