"""Use cases for carrier credentials: set, delete, list hints, load for polling, rotate keys.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) under
the keys of the `carrier_credentials_keys` setting through MultiFernet: the first key
encrypts, every key decrypts. Rotation without downtime: put a new key first (every
process then decrypts old and new tokens), run `rotate` to re-encrypt the rows under it,
then drop the old key. Plain values never leave this module except towards an adapter;
the API shows only `hint` and `updated_at`.

Setting credentials wakes the parcels that waited for them (NOT_CONFIGURED or
CARRIER_ERROR), so they are checked at the next poll instead of hours later.
"""

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.errors import Rejected
from parcelgraph.domain.tracking_schedule import TrackingState
from parcelgraph.models import CarrierCredential, Shipment, Shop
from parcelgraph.models.carrier_credential import PLATFORM_SCOPE

FIELDS = ("client_id", "client_secret", "api_key", "account", "webhook_secret")
_SECRET_FIELDS = ("api_key", "client_secret", "client_id", "webhook_secret")
_MAX_VALUE = 4000
_HINT_LENGTH = 4
_WAITING_STATES = (TrackingState.NOT_CONFIGURED.value, TrackingState.CARRIER_ERROR.value)


class CredentialKeysMissing(RuntimeError):
    """No `carrier_credentials_keys` are configured, so nothing can be stored or read."""


class CredentialCipher:
    """Encrypts and decrypts credential values under the configured Fernet keys."""

    def __init__(self, keys: Sequence[str]) -> None:
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys]) if keys else None

    @property
    def configured(self) -> bool:
        """True when at least one key is set."""
        return self._fernet is not None

    def encrypt(self, values: Mapping[str, str]) -> str:
        """A token holding `values` (JSON), under the first key."""
        return self._require().encrypt(json.dumps(dict(values)).encode()).decode()

    def decrypt(self, token: str) -> dict[str, str]:
        """The values of a token made under any configured key."""
        return dict(json.loads(self._require().decrypt(token.encode())))

    def rotate(self, token: str) -> str:
        """The same values re-encrypted under the first key."""
        return self._require().rotate(token.encode()).decode()

    def _require(self) -> MultiFernet:
        if self._fernet is None:
            raise CredentialKeysMissing(
                "set PARCELGRAPH_CARRIER_CREDENTIALS_KEYS (a Fernet key) to store credentials"
            )
        return self._fernet


def new_key() -> str:
    """A fresh Fernet key for `carrier_credentials_keys`."""
    return Fernet.generate_key().decode()


def hint_of(values: Mapping[str, str]) -> str:
    """The last characters of the most secret value, to recognise it by."""
    for name in _SECRET_FIELDS:
        value = values.get(name) or ""
        if value:
            return f"…{value[-_HINT_LENGTH:]}" if len(value) > _HINT_LENGTH else "…"
    return ""


def _check(adapter: str, values: Mapping[str, str | None], known: Mapping[str, Sequence[str]]):
    if adapter not in known:
        names = ", ".join(sorted(known)) or "none"
        raise Rejected.one(
            "CARRIER_ADAPTER_UNKNOWN", f"No carrier adapter {adapter!r} (known: {names}).",
            "adapter",
        )  # fmt: skip
    present = {k: v.strip() for k, v in values.items() if v is not None and v.strip()}
    for name, value in present.items():
        if len(value) > _MAX_VALUE:
            raise Rejected.one("INVALID_INPUT", f"{name} is too long.", _camel(name))
    missing = [name for name in known[adapter] if name not in present]
    if missing:
        wanted = ", ".join(_camel(m) for m in missing)
        raise Rejected.one(
            "CREDENTIALS_INCOMPLETE", f"The {adapter} adapter needs {wanted}.", _camel(missing[0])
        )
    return present


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _scope(shop: Shop | None) -> str:
    return str(shop.id) if shop is not None else PLATFORM_SCOPE


async def set_credentials(
    session: AsyncSession,
    *,
    shop: Shop | None,
    adapter: str,
    values: Mapping[str, str | None],
    known: Mapping[str, Sequence[str]],
    cipher: CredentialCipher,
    now: datetime,
) -> CarrierCredential:
    """Store (or replace) the credentials of `adapter` for `shop` (None: platform default).

    `known` maps adapter names to the fields each requires. The caller commits.
    """
    present = _check(adapter, values, known)
    if not cipher.configured:
        raise Rejected.one(
            "CREDENTIALS_KEYS_MISSING",
            "The server has no encryption key for credentials (carrier_credentials_keys).",
            "adapter",
        )
    stmt = select(CarrierCredential).where(
        CarrierCredential.scope == _scope(shop), CarrierCredential.adapter == adapter
    )
    row = (await session.exec(stmt)).first()
    if row is None:
        row = CarrierCredential(
            shop_id=shop.id if shop else None, scope=_scope(shop), adapter=adapter,
            secret="", created_at=now,
        )  # fmt: skip
        session.add(row)
    row.secret = cipher.encrypt(present)
    row.hint = hint_of(present)
    row.fields = ",".join(name for name in FIELDS if name in present)
    row.updated_at = now
    await session.flush()
    await _wake_waiting(session, shop=shop, now=now)
    return row


async def delete_credentials(session: AsyncSession, *, shop: Shop | None, adapter: str) -> bool:
    """Remove the credentials of `adapter` for `shop`; False when there were none."""
    stmt = select(CarrierCredential).where(
        CarrierCredential.scope == _scope(shop), CarrierCredential.adapter == adapter
    )
    row = (await session.exec(stmt)).first()
    if row is None:
        return False
    await session.delete(row)
    await session.flush()
    return True


async def list_credentials(session: AsyncSession, *, shop: Shop | None) -> list[CarrierCredential]:
    """The shop's own credentials and the platform defaults (hints only are to be shown)."""
    scopes = [PLATFORM_SCOPE] if shop is None else [_scope(shop), PLATFORM_SCOPE]
    stmt = (
        select(CarrierCredential)
        .where(CarrierCredential.scope.in_(scopes))  # type: ignore[attr-defined]
        .order_by(CarrierCredential.adapter, CarrierCredential.scope)
    )
    return list((await session.exec(stmt)).all())


@dataclass(frozen=True)
class Loaded:
    """Decrypted credentials per shop: the shop's own over the platform default."""

    by_shop: dict[uuid.UUID, dict[str, dict[str, str]]]
    platform: dict[str, dict[str, str]]
    errors: dict[tuple[str, str], str]

    def for_shop(self, shop_id: uuid.UUID) -> dict[str, dict[str, str]]:
        """Adapter name → values for one shop."""
        return {**self.platform, **self.by_shop.get(shop_id, {})}


async def load_for_shops(
    session: AsyncSession, *, shop_ids: Iterable[uuid.UUID], cipher: CredentialCipher
) -> Loaded:
    """Every credential the poller may need for these shops, in one SELECT."""
    scopes = [PLATFORM_SCOPE, *{str(s) for s in shop_ids}]
    stmt = select(CarrierCredential).where(CarrierCredential.scope.in_(scopes))  # type: ignore[attr-defined]
    loaded = Loaded({}, {}, {})
    for row in (await session.exec(stmt)).all():
        try:
            values = cipher.decrypt(row.secret)
        except (InvalidToken, CredentialKeysMissing):
            # A key was dropped too early: say so on the parcels instead of crashing polls.
            loaded.errors[(row.scope, row.adapter)] = "stored credentials cannot be decrypted"
            continue
        if row.shop_id is None:
            loaded.platform[row.adapter] = values
        else:
            loaded.by_shop.setdefault(row.shop_id, {})[row.adapter] = values
    return loaded


async def rotate(session: AsyncSession, *, cipher: CredentialCipher, now: datetime) -> int:
    """Re-encrypt every stored credential under the first key; the caller commits."""
    rows = (await session.exec(select(CarrierCredential))).all()
    for row in rows:
        row.secret = cipher.rotate(row.secret)
        row.updated_at = now
    await session.flush()
    return len(rows)


async def _wake_waiting(session: AsyncSession, *, shop: Shop | None, now: datetime) -> None:
    # New credentials may serve any of the shop's (or, for the platform, every shop's)
    # parcels that were waiting; the poller sorts out which at their next check.
    stmt = (
        update(Shipment)
        .where(Shipment.tracking_state.in_(_WAITING_STATES))  # type: ignore[union-attr]
        .values(next_check_at=now, poll_failures=0)
        .execution_options(synchronize_session=False)
    )
    if shop is not None:
        stmt = stmt.where(Shipment.shop_id == shop.id)
    await session.exec(stmt)  # type: ignore[call-overload]
