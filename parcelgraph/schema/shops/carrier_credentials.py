"""Carrier credentials (admin keys only): set, delete and list them. Values go in, never out:
the API shows a hint (the last characters) and when they changed. Thin fields over
resolvers.shops.carrier_credentials."""

from datetime import datetime
from typing import Any

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.context import Context
from parcelgraph.domain.errors import Rejected
from parcelgraph.models import CarrierCredential
from parcelgraph.resolvers.shops import carrier_credentials
from parcelgraph.schema.common.errors import UserError, user_errors
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.runner import mutation, ok


@strawberry.type(
    name="CarrierCredentialHint",
    description="Stored credentials of one carrier adapter, without their values.",
)
class CarrierCredentialHintType:
    """What may be shown about stored credentials."""

    adapter: str = strawberry.field(description="The adapter's name (ups, dhl, ...).")
    platform_default: bool = strawberry.field(
        description="True for the platform default, used by shops without their own."
    )
    hint: str = strawberry.field(description="The last characters of the secret, e.g. `…9f2a`.")
    fields: list[str] = strawberry.field(description="Which fields are set (snake_case names).")
    updated_at: datetime = strawberry.field(description="When they were last set.")

    @classmethod
    def from_row(cls, row: CarrierCredential) -> "CarrierCredentialHintType":
        """Map a row to the type (the secret stays behind)."""
        return cls(
            adapter=row.adapter, platform_default=row.shop_id is None, hint=row.hint,
            fields=[f for f in row.fields.split(",") if f], updated_at=row.updated_at,
        )  # fmt: skip


@strawberry.input(description="Credentials of one carrier API account.")
class SetCarrierCredentialsInput:
    """Which adapter, for whom, and the values (only those the carrier uses)."""

    adapter: str = strawberry.field(description="The adapter's name (ups, dhl, ...).")
    platform_default: bool = strawberry.field(
        default=False,
        description="Set the platform default instead of this shop's own (platform admin keys).",
    )
    client_id: str | None = strawberry.field(default=None, description="OAuth client id.")
    client_secret: str | None = strawberry.field(
        default=None, description="OAuth client secret (or password)."
    )
    api_key: str | None = strawberry.field(default=None, description="API key.")
    account: str | None = strawberry.field(
        default=None, description="Account or customer number, where the carrier wants one."
    )
    webhook_secret: str | None = strawberry.field(
        default=None,
        description="The secret the carrier signs its pushes with (AfterShip: Settings > "
        "Webhooks), so the push endpoint can verify them.",
    )


@strawberry.type(description="The result of setCarrierCredentials.")
class SetCarrierCredentialsPayload:
    """The stored hint, or why nothing was stored."""

    credentials: CarrierCredentialHintType | None = strawberry.field(
        description="What is stored now (without the values)."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was stored.")


@strawberry.type(description="The result of deleteCarrierCredentials.")
class DeleteCarrierCredentialsPayload:
    """Whether credentials were removed."""

    deleted: bool = strawberry.field(description="True when credentials were removed.")
    errors: list[UserError] = strawberry.field(description="Why nothing was removed.")


def _scope(context: Context, platform_default: bool) -> Any:
    if not platform_default:
        return context.shop
    key = context.api_key
    if key is None or not key.platform:
        raise Rejected.one(
            "PLATFORM_KEY_REQUIRED", "Only a platform admin key sets platform defaults.",
            "platformDefault",
        )  # fmt: skip
    return None


@strawberry.type
class CarrierCredentialsQuery:
    """Root fields that read carrier credential hints."""

    @strawberry.field(
        description="The shop's carrier credentials and the platform defaults, as hints only "
        "(admins only).",
        permission_classes=[Allow.admins],
    )
    async def carrier_credentials(self, info: strawberry.Info) -> list[CarrierCredentialHintType]:
        async with info.context.db.reader() as session:
            rows = await carrier_credentials.list_credentials(session, shop=info.context.shop)
        return [CarrierCredentialHintType.from_row(r) for r in rows]


@strawberry.type
class CarrierCredentialsMutation:
    """Root fields that set and delete carrier credentials (admin keys only)."""

    @mutation(
        Allow.admins,
        SetCarrierCredentialsPayload,
        done=lambda row: ok(
            SetCarrierCredentialsPayload, credentials=CarrierCredentialHintType.from_row(row)
        ),
        errors=lambda rejected: user_errors(rejected, prefix=("input",)),
        input="Values.",
    )
    async def set_carrier_credentials(
        context: Context, session: AsyncSession, input: SetCarrierCredentialsInput
    ) -> CarrierCredential:
        """Store the credentials of a carrier adapter for this shop (or, with a platform
        key, the platform default), encrypted. Parcels waiting for them are checked at
        the next poll. The values are never returned."""
        values = {"client_id": input.client_id, "client_secret": input.client_secret,
                  "api_key": input.api_key, "account": input.account,
                  "webhook_secret": input.webhook_secret}  # fmt: skip
        return await carrier_credentials.set_credentials(
            session,
            shop=_scope(context, input.platform_default),
            adapter=input.adapter,
            values=values,
            known=context.services.get("carrier_adapters", {}),
            cipher=carrier_credentials.CredentialCipher(context.settings.carrier_credentials_keys),
            now=context.now(),
        )

    @mutation(
        Allow.admins,
        DeleteCarrierCredentialsPayload,
        done=lambda deleted: ok(DeleteCarrierCredentialsPayload, deleted=deleted),
        refused=lambda errors: DeleteCarrierCredentialsPayload(deleted=False, errors=errors),
        adapter="The adapter's name.",
        platform_default="Remove the platform default instead.",
    )
    async def delete_carrier_credentials(
        context: Context, session: AsyncSession, adapter: str, platform_default: bool = False
    ) -> bool:
        """Remove the stored credentials of a carrier adapter (this shop's, or with a
        platform key the platform default). Its parcels become NOT_CONFIGURED at their
        next check unless a default applies."""
        deleted = await carrier_credentials.delete_credentials(
            session, shop=_scope(context, platform_default), adapter=adapter
        )
        if not deleted:
            raise Rejected.one(
                "CREDENTIALS_NOT_FOUND", f"No {adapter!r} credentials here.", "adapter"
            )
        return deleted
