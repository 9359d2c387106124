"""Argument checks shared by the root lookups."""

from typing import Any

from parcelgraph.schema.hardening.extensions import PublicError


def exactly_one(**keys: Any) -> None:
    """Refuse a lookup that names no key or several (they could disagree)."""
    given = [name for name, value in keys.items() if value is not None]
    if len(given) != 1:
        names = ", ".join(f"`{name}`" for name in keys)
        raise PublicError(f"Pass exactly one of {names}.", "INVALID_INPUT")
