"""Global ids as arguments: decoded to row ids of one type, or None; `require_id` refuses
a malformed one as INVALID_ID (for mutation inputs), `require_all` several at once."""

import uuid

from strawberry import relay
from strawberry.utils.str_converters import to_camel_case

from parcelgraph.domain.errors import Rejected
from parcelgraph.resolvers.common.reads import parse_uuid


def decode(value: str | None, type_name: str) -> uuid.UUID | None:
    """The row id inside a global id of `type_name`; None when it is not one.

    A malformed id, or the id of another type, names nothing: the caller gets the same
    answer as for an id of another shop (null or an empty list), never an error that
    would tell the cases apart.
    """
    if value is None:
        return None
    try:
        global_id = relay.GlobalID.from_id(value)
    except Exception:
        return None
    if global_id.type_name != type_name:
        return None
    return parse_uuid(global_id.node_id)


def decode_all(**given: tuple[str | None, str]) -> dict[str, uuid.UUID | None] | None:
    """Each `name=(global id or None, type name)` as `name=row id` (None where not given).

    None when an id that was given names nothing: a filter on it matches nothing (an id of
    nothing must not be ignored and widen the list).
    """
    decoded = {name: decode(value, type_name) for name, (value, type_name) in given.items()}
    if any(given[name][0] is not None and row_id is None for name, row_id in decoded.items()):
        return None
    return decoded


def row_id(value: str | None, type_name: str) -> uuid.UUID | None:
    """The row id inside a global id of `type_name` (or a bare UUID); None if malformed."""
    if value is None:
        return None
    try:
        global_id = relay.GlobalID.from_id(value)
    except Exception:
        return parse_uuid(value)
    if global_id.type_name != type_name:
        return None
    return parse_uuid(global_id.node_id)


def require_id(value: str | None, type_name: str, field: str) -> uuid.UUID | None:
    """Like `row_id`, but a given value that is not a valid id raises INVALID_ID."""
    parsed = row_id(value, type_name)
    if value is not None and parsed is None:
        raise Rejected.one("INVALID_ID", f"Not a valid {type_name} id.", field)
    return parsed


def require_all(**given: tuple[str | None, str]) -> dict[str, uuid.UUID | None]:
    """Each `name=(global id or None, type name)` as `name=row id`, as `require_id` reads
    it; every malformed one is refused in one Rejected, each at its camelCase field."""
    issues = []
    found = {}
    for name, (value, type_name) in given.items():
        try:
            found[name] = require_id(value, type_name, to_camel_case(name))
        except Rejected as rejected:
            issues += rejected.issues
    if issues:
        raise Rejected(issues)
    return found
