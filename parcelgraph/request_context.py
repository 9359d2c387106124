"""The id of the request being served, for logs and for the reference of masked errors.

Set by the request-id middleware for every HTTP request and WebSocket connection (taken
from a well-formed `X-Request-Id` header, else new) and sent back in `X-Request-Id`, so a
client quoting the reference of an unexpected error points at the exact log lines.
"""

import re
import uuid
from contextvars import ContextVar

REQUEST_ID: ContextVar[str | None] = ContextVar("parcelgraph_request_id", default=None)
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current() -> str | None:
    """The id of the request this code runs for, or None outside requests."""
    return REQUEST_ID.get()


def choose(incoming: str | None) -> str:
    """The caller's id when it is well formed (a proxy's trace id), else a fresh one."""
    if incoming and _WELL_FORMED.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex[:16]
