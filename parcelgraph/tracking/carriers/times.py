"""Carrier times as aware datetimes: ISO 8601 strings and fixed offsets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone


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
