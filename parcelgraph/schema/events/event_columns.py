"""Which event columns a request's document needs: the read graph selects only those.

Reading a column is cheap; converting it (UUIDs, datetimes, JSON) is not, and a page of
orders reads a thousand events. So the per-shipment event loader is given the columns the
whole operation asks of `Event` and `PublicTrackingEvent`, wherever it asks (fragments
included, `@skip`/`@include` ignored: a superset is always safe). One column set per
operation means one loader per request, so batching and statement counts do not change.
A field not listed below (a new one) makes the operation read every column.
"""

from typing import Any

from graphql import (
    FieldNode,
    GraphQLSchema,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    visit,
)

from parcelgraph.models import Event

ALL = tuple(Event.model_fields)

# The columns each field's `from_row` (and its resolver) reads.
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "Event": {
        "id": ("id",), "eventId": ("id",), "position": ("position",),
        "sequence": ("sequence",), "source": ("source",), "ref": ("ref",),
        "phase": ("phase",), "eventName": ("event_name",), "eventGroup": ("event_group",),
        "direction": ("direction",), "occurredAt": ("occurred_at",),
        "recordedAt": ("recorded_at",), "externalId": ("external_id",),
        "location": ("location",), "message": ("message",), "carrierCode": ("raw_code",),
        "simulated": ("simulated",), "data": ("data",), "order": ("order_id",),
        "shipment": ("shipment_id",), "__typename": (),
    },
    "PublicTrackingEvent": {
        "id": ("id",), "position": ("position",), "occurredAt": ("occurred_at",),
        "eventName": ("event_name",), "eventGroup": ("event_group",), "phase": ("phase",),
        "description": ("event_name",), "location": ("location",), "message": ("message",),
        "__typename": (),
    },
}  # fmt: skip


class _Collect(Visitor):
    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.columns: set[str] = set()

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        parent = self.type_info.get_parent_type()
        fields = COLUMNS.get(parent.name) if parent is not None else None
        if fields is not None:
            self.columns.update(fields.get(node.name.value, ALL))


_CACHE: dict[int, tuple[OperationDefinitionNode, tuple[str, ...]]] = {}
_CACHE_SIZE = 512


def event_columns(info: Any) -> tuple[str, ...]:
    """The event columns the operation of `info` needs (cached per parsed operation)."""
    raw = info._raw_info  # graphql-core's: the schema, operation and fragments as parsed
    operation: OperationDefinitionNode = raw.operation
    cached = _CACHE.get(id(operation))
    if cached is not None and cached[0] is operation:
        return cached[1]
    columns = collect(raw.schema, operation, list(raw.fragments.values()))
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[id(operation)] = (operation, columns)
    return columns


def collect(schema: GraphQLSchema, operation: Any, fragments: list[Any]) -> tuple[str, ...]:
    """The event columns an operation and its fragments select, in the table's order."""
    found: set[str] = set()
    for node in (operation, *fragments):
        type_info = TypeInfo(schema)
        collect = _Collect(type_info)
        visit(node, TypeInfoVisitor(type_info, collect))
        found |= collect.columns
    return tuple(c for c in ALL if c in found)
