"""Text a client may send: no NUL character, no lone surrogate.

PostgreSQL cannot store U+0000 in text (asyncpg raises), and a lone UTF-16 surrogate is not
Unicode at all: stored, it breaks every later JSON encoding of that value. Every face (the
GraphQL document and variables, REST bodies and parameters, MCP tool arguments) refuses such
text at its boundary with this check, before anything runs, with code INVALID_CHARACTERS and
the path of the offending value. The character itself is never echoed.
"""

from collections.abc import Mapping
from typing import Any

CODE = "INVALID_CHARACTERS"
NUL = "a NUL character (U+0000), which cannot be stored"
SURROGATE = "a lone surrogate (half of a UTF-16 pair), which is not valid Unicode"


def problem(text: str) -> str | None:
    """Why `text` is refused, or None when it is acceptable."""
    if "\x00" in text:
        return NUL
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return SURROGATE
    return None


def first_problem(value: Any, path: list[str | int]) -> tuple[list[str | int], str] | None:
    """The path and reason of the first refused string inside a JSON value (keys included).

    Iterative, so a deeply nested JSON value cannot exhaust the stack.
    """
    pending: list[tuple[Any, list[str | int]]] = [(value, path)]
    while pending:
        current, where = pending.pop()
        if isinstance(current, str):
            reason = problem(current)
            if reason is not None:
                return where, reason
        elif isinstance(current, Mapping):
            for key in current:
                reason = problem(key) if isinstance(key, str) else None
                if reason is not None:
                    return [*where, "(key)"], reason
            # Reversed onto the stack, so the first problem in document order is reported.
            pending.extend((item, [*where, key]) for key, item in reversed(current.items()))
        elif isinstance(current, list):
            pending.extend((current[i], [*where, i]) for i in reversed(range(len(current))))
    return None


def refusal_message(path: list[str | int], reason: str) -> str:
    """The plain-words refusal of the text at `path` (the same on every face)."""
    where = ".".join(str(part) for part in path) or "the request"
    return f"{where} contains {reason}; send well-formed text without it."
