"""Reading a carrier's answer into scans: tolerant field access, times, RawStatus.

Carrier JSON is read defensively: a value of an unexpected type counts as absent, so
one odd field drops that field, not the whole answer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from parcelgraph.tracking.adapters import RawStatus


def raw_status(
    code: str,
    message: str | None,
    occurred_at: datetime,
    *,
    city: str | None = None,
    region: str | None = None,
    country_code: str | None = None,
    postal_code: str | None = None,
    event_id: str | None = None,
    signed_by: str | None = None,
    site: str | None = None,
    **details: object,
) -> RawStatus:
    """A RawStatus with a readable location and only the details that have a value.

    The location is `city, region, country` from the parts given, or the carrier's own
    name for the `site` when it names a site rather than a city (Royal Mail's "Stafford DO").
    """
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


def parse_time(value: object, *, offset: str | None = None) -> datetime | None:
    """An ISO 8601 time as an aware datetime; a naive one takes `offset` (±HH:MM) or UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=parse_offset(offset) or UTC)
    return moment


def parse_offset(value: str | None) -> timezone | None:
    """`-05:00` / `+0100` as a fixed timezone, or None."""
    if not value:
        return None
    text = value.strip().replace(":", "")
    if len(text) != 5 or text[0] not in "+-" or not text[1:].isdigit():
        return None
    delta = timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))
    return timezone(-delta if text[0] == "-" else delta)


def text(value: object) -> str | None:
    """A stripped non-empty string, or None."""
    return value.strip() or None if isinstance(value, str) else None
