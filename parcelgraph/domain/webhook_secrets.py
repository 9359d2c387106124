"""Webhook secrets: the format every signature scheme derives its key from (no I/O)."""

import base64
import secrets as _random

SECRET_PREFIX = "whsec_"  # noqa: S105 (a format prefix, not a credential)
SECRET_BYTES = 32


def generate_secret() -> str:
    """A new webhook secret: `whsec_` + base64 of 32 bytes from the OS CSPRNG (256 bits)."""
    return SECRET_PREFIX + base64.b64encode(_random.token_bytes(SECRET_BYTES)).decode("ascii")
