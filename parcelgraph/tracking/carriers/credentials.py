"""What a carrier client needs to be let in, and where to send its requests.

Credentials are plain values here: where they are stored (encrypted, per shop) is the
business of the caller that builds the adapter. `base_url` overrides the carrier's
documented production URL, for an egress proxy, the carrier's sandbox, or a fake carrier
in tests; it is the only way a test reaches a carrier client.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


class MissingCredential(ValueError):
    """The adapter needs a credential that was not given (e.g. a client secret)."""

    def __init__(self, adapter: str, name: str) -> None:
        super().__init__(f"the {adapter} adapter needs `{name}`")
        self.adapter = adapter
        self.name = name


@dataclass(frozen=True, slots=True)
class CarrierCredentials:
    """One account at one carrier API; which fields matter depends on the carrier."""

    api_key: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    account_number: str | None = None
    base_url: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    def require(self, adapter: str, name: str) -> str:
        """The credential `name`, or MissingCredential when it is empty."""
        value = getattr(self, name, None) if name in _FIELDS else self.extra.get(name)
        if not value:
            raise MissingCredential(adapter, name)
        return value

    def __repr__(self) -> str:
        # Never print secrets, not even in a traceback.
        return f"CarrierCredentials(base_url={self.base_url!r}, ...)"


_FIELDS = frozenset({"api_key", "client_id", "client_secret", "account_number"})
