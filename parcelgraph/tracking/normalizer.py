"""Raw carrier statuses → catalogue events, keeping the carrier's own code.

A code the adapter's map does not know becomes an explicit UNMAPPED event carrying the raw
code and message, so it is kept for review instead of silently dropped (and never moves the
phase). Each status gets a stable external id: the carrier's own event id when it gives
one, else a digest of what it said, so polling the same history again (or receiving the
same scan by push) records nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from parcelgraph.domain import catalogue
from parcelgraph.resolvers.events.recording import Scan
from parcelgraph.tracking.adapters import RawStatus


def external_id(adapter: str, status: RawStatus) -> str:
    """A stable id for one carrier status: the carrier's event id, else same facts, same id."""
    if status.event_id:
        return f"{adapter}:{status.event_id}"[:200]
    facts = "|".join(
        (status.code, status.occurred_at.isoformat(), status.location or "", status.message)
    )
    return f"{adapter}:{hashlib.sha256(facts.encode()).hexdigest()[:32]}"


def _data(adapter: str, status: RawStatus, mapped: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"carrier_adapter": adapter}
    if not mapped:
        data["unmapped"] = True
    for key in ("country_code", "postal_code", "signed_by"):
        value = getattr(status, key)
        if value:
            data[key] = value
    if status.details:
        data["carrier_details"] = dict(status.details)
    return data


def normalize(
    status: RawStatus, *, adapter: str, status_map: Mapping[str, str], simulated: bool = False
) -> Scan:
    """The catalogue event for one raw status (UNMAPPED when the code is unknown)."""
    name = status_map.get(status.code)
    mapped = name is not None and catalogue.exists(name)
    return Scan(
        event_name=name if mapped and name else catalogue.UNMAPPED,
        occurred_at=status.occurred_at,
        external_id=external_id(adapter, status),
        location=status.location,
        message=status.message,
        raw_code=status.code,
        simulated=simulated,
        data=_data(adapter, status, mapped),
    )


def normalize_all(
    statuses: Iterable[RawStatus],
    *,
    adapter: str,
    status_map: Mapping[str, str],
    simulated: bool = False,
) -> list[Scan]:
    """Every status normalized, in the carrier's order."""
    return [
        normalize(s, adapter=adapter, status_map=status_map, simulated=simulated) for s in statuses
    ]
