"""Logging set-up for `serve` and `worker`: plain text, or one JSON object per line.

Every record carries the request id of the request it was logged for (`-` outside
requests), which is also the reference a client sees in a masked error, so a support ticket
quoting it finds the exact lines.
"""

import json
import logging
from datetime import UTC, datetime

from parcelgraph import request_context

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_context.current() or "-"
        return True


class JsonLines(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, request id, and
    the exception's trace when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_context.current(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(*, level: str, log_format: str) -> None:
    """Route every logger (uvicorn's included) through one handler in the chosen format."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
