"""The Shop and Viewer types and the root fields that prove the stack end to end."""

from enum import Enum

import strawberry

from parcelgraph.auth import ApiKeyPrincipal, CustomerPrincipal
from parcelgraph.domain.enums import Role
from parcelgraph.models import Shop as ShopRow
from parcelgraph.schema.common.convert import from_attributes
from parcelgraph.schema.common.enums import mirror
from parcelgraph.schema.common.permissions import Allow


@strawberry.type(name="Shop", description="The shop (tenant) named in the request URL.")
class ShopType:
    """Public facts about a shop."""

    slug: str = strawberry.field(description="URL-safe unique name, as in /v1/shops/{slug}/.")
    name: str = strawberry.field(description="Display name shown to customers.")
    currency: str = strawberry.field(description="ISO 4217 code every order must use.")
    language: str = strawberry.field(description="Default language of customer-facing text.")
    public_base_url: str | None = strawberry.field(
        description="Base URL of customer-facing links (tracking pages), if the shop set one."
    )
    sandbox: bool = strawberry.field(
        description="A demo shop: its parcels are simulated by the sandbox carrier and never "
        "asked about at a real carrier. False for real shops, whose parcels are never simulated."
    )

    @classmethod
    def from_row(cls, row: ShopRow) -> "ShopType":
        """Map a table row to the schema type."""
        return from_attributes(cls, row)


@strawberry.enum(description="What kind of credential the caller presented.")
class ViewerKind(Enum):
    """How the caller authenticated."""

    API_KEY = strawberry.enum_value("API_KEY", description="A merchant API key (HTTP Basic).")
    CUSTOMER = strawberry.enum_value(
        "CUSTOMER", description="An order token: a customer who can reach one order."
    )


RoleEnum = mirror(
    Role,
    "Role",
    "What an API key may do.",
    {
        "VIEWER": "Read everything of the shop.",
        "EDITOR": "Viewer, plus write orders, shipments, events, claims and tokens.",
        "ADMIN": "Editor, plus manage webhooks, API keys and shop settings.",
    },
)


@strawberry.type(description="Who is calling: the API key or order token of this request.")
class Viewer:
    """The authenticated caller."""

    kind: ViewerKind = strawberry.field(description="API key or customer token.")
    name: str | None = strawberry.field(description="The API key's name (its Basic username).")
    role: RoleEnum | None = strawberry.field(description="The API key's role; null for tokens.")
    platform: bool = strawberry.field(
        description="True for a platform key valid for every shop (`*`)."
    )


@strawberry.type
class ShopQuery:
    """Root fields about the shop and the caller."""

    @strawberry.field(
        description="The shop named in the URL.", permission_classes=[Allow.viewers_and_customers]
    )
    def shop(self, info: strawberry.Info) -> ShopType:
        return ShopType.from_row(info.context.shop)

    @strawberry.field(
        description="The caller: the API key's name and role, or the customer token.",
        permission_classes=[Allow.viewers_and_customers],
    )
    def viewer(self, info: strawberry.Info) -> Viewer:
        principal = info.context.principal
        if isinstance(principal, ApiKeyPrincipal):
            return Viewer(
                kind=ViewerKind.API_KEY,
                name=principal.name,
                role=RoleEnum[principal.role.value],
                platform=principal.platform,
            )
        assert isinstance(principal, CustomerPrincipal)
        return Viewer(kind=ViewerKind.CUSTOMER, name=None, role=None, platform=False)
