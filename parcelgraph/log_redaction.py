"""No secret in any log line: order tokens in request URLs are masked in the access log.

Tracking links carry the order token in the URL fragment, which never reaches a server; a
link of the older `?token=` form still does, and uvicorn's access log prints the query
string at INFO. This filter masks the value of every `token` query parameter in the access
log's request line. (SQL parameters are kept out of database errors by the engines'
`hide_parameters`; API keys travel in headers, which are never logged.)
"""

import logging
import re

ACCESS_LOGGER = "uvicorn.access"
_TOKEN = re.compile(r"(?i)([?&]token=)[^&#\s]*")
MASK = "[redacted]"


def redact(text: str) -> str:
    """`text` with every `token=` query value masked."""
    return _TOKEN.sub(rf"\g<1>{MASK}", text)


class RedactTokens(logging.Filter):
    """Masks tokens in the arguments of uvicorn's access log records."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install() -> None:
    """Add the filter to the access logger once (idempotent)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RedactTokens) for f in logger.filters):
        logger.addFilter(RedactTokens())
