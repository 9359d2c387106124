"""Reading ids that may be Relay global IDs or raw UUIDs (both are accepted as input)."""

from strawberry.relay import GlobalID


def raw_id(value: str, type_name: str) -> str:
    """The UUID inside a global ID of `type_name`, else `value` as given."""
    try:
        parsed = GlobalID.from_id(value)
    except Exception:
        return value
    return parsed.node_id if parsed.type_name == type_name else value
