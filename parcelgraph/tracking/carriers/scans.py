"""Reading a carrier's answer into scans: tolerant field access, ordering, RawStatus.

Carrier JSON is read defensively: a value of an unexpected type counts as absent, so
one odd field drops that field, not the whole answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from parcelgraph.tracking.adapters import RawStatus


def raw_status(
    code: str | None,
    message: str | None,
    occurred_at: datetime | None,
    *,
    city: str | None = None,
    region: str | None = None,
    country_code: str | None = None,
    postal_code: str | None = None,
    event_id: str | None = None,
    signed_by: str | None = None,
    site: str | None = None,
    **details: object,
) -> RawStatus | None:
    """A RawStatus with a readable location and only the details that have a value.

    None when the scan has no code or no readable time: such a scan cannot be placed in
    the history, so it is skipped (`in_order` leaves it out) rather than failing the answer.
    The location is `city, region, country` from the parts given, or the carrier's own
    name for the `site` when it names a site rather than a city (Royal Mail's "Stafford DO").
    """
    if code is None or occurred_at is None:
        return None
    location = site or ", ".join(p for p in (city, region, country_code) if p) or None
    return RawStatus(
        code=code,
        message=message or code,
        occurred_at=occurred_at,
        location=location,
        event_id=event_id,
        country_code=country_code,
        postal_code=postal_code,
        signed_by=signed_by,
        details={k: v for k, v in details.items() if v not in (None, "", False)},
    )


def text(value: object) -> str | None:
    """A stripped non-empty string, or None."""
    return value.strip() or None if isinstance(value, str) else None


Keys = str | tuple[str, ...] | None


def place(
    source: Mapping[str, Any], city: Keys, region: Keys, country: Keys, postal: Keys
) -> dict[str, str | None]:
    """`raw_status`'s location keywords, read from the carrier's own field names (for a
    tuple of names, the first that holds text; None: the carrier sends no such part)."""
    return {
        "city": _first_text(source, city),
        "region": _first_text(source, region),
        "country_code": _first_text(source, country),
        "postal_code": _first_text(source, postal),
    }


def _first_text(source: Mapping[str, Any], keys: Keys) -> str | None:
    for key in (keys,) if isinstance(keys, str) else keys or ():
        if found := text(source.get(key)):
            return found
    return None


def child(parent: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """`parent[key]` when it is an object, else an empty one (absent or of another type)."""
    value = parent.get(key)
    return value if isinstance(value, Mapping) else {}


def objects(value: Any) -> list[Mapping[str, Any]]:
    """The objects of a JSON list, skipping anything else; an absent list reads as empty."""
    return [item for item in value or [] if isinstance(item, Mapping)]


def one_object(parent: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """`[parent[key]]` when it is an object, else `[]`: a lone status read like a history."""
    value = parent.get(key)
    return [value] if isinstance(value, Mapping) else []


def in_order(statuses: Iterable[RawStatus | None]) -> list[RawStatus]:
    """The scans that could be read, oldest first."""
    return sorted((s for s in statuses if s is not None), key=lambda s: s.occurred_at)
