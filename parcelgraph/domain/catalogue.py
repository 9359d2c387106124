"""The event catalogue: look-ups and filters over the table of event definitions.

The phase machine, the fold, webhook matching, the normalizer of carrier statuses and the
`eventCatalogue` query all read this table through these functions; none of them keeps a
private list of names. The definitions themselves live in `catalogue_events`.
"""

from __future__ import annotations

from collections.abc import Iterable

from parcelgraph.domain.catalogue_events import ALL_EVENTS, UNMAPPED
from parcelgraph.domain.enums import Direction, EventSource, Phase
from parcelgraph.domain.event_definition import EventDefinition
from parcelgraph.domain.event_groups import EventGroup, group_matches, is_delivered_group

__all__ = [
    "UNMAPPED",
    "EventDefinition",
    "UnknownEventName",
    "all_definitions",
    "all_groups",
    "all_refs",
    "events",
    "exists",
    "get",
    "group_for",
    "group_matches",
    "is_delivered_group",
    "names",
    "shipment_ref",
]


class UnknownEventName(LookupError):
    """The name is not in the catalogue."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown event name: {name!r}")
        self.name = name


def _build_index() -> dict[str, EventDefinition]:
    index: dict[str, EventDefinition] = {}
    for definition in ALL_EVENTS:
        if definition.name in index:
            raise ValueError(f"event {definition.name} is defined twice")
        index[definition.name] = definition
    return index


# Built once at import: a duplicate name fails loudly before anything can read the table.
_INDEX: dict[str, EventDefinition] = _build_index()


def get(name: str) -> EventDefinition:
    """The definition of `name`; raises `UnknownEventName`.

    Names are case-sensitive: they are identifiers (`SUCCESSFULLY_DELIVERED`), not text.
    """
    try:
        return _INDEX[name]
    except KeyError:
        raise UnknownEventName(name) from None


def exists(name: str) -> bool:
    """True when `name` is in the catalogue."""
    return name in _INDEX


def shipment_ref(definition: EventDefinition) -> str:
    """`shipments/{phase}/{NAME}`, e.g. `shipments/delivered/SUCCESSFULLY_DELIVERED`."""
    if definition.phase is None:
        raise ValueError(f"{definition.name} is not a shipment event")
    return definition.ref


def group_for(definition: EventDefinition, direction: Direction | None) -> EventGroup:
    """The group an event lands in for a shipment travelling in `direction`.

    Claims have no direction (pass None); returns collapse into the return groups.
    """
    if direction is Direction.CUSTOMER_MERCHANT:
        return definition.return_group
    return definition.group


def events(
    phase: Phase | None = None,
    group: str | None = None,
    source: EventSource | None = None,
) -> list[EventDefinition]:
    """The catalogue filtered by phase, group (forward or return) and source, in table order."""
    return [
        definition
        for definition in _INDEX.values()
        if (phase is None or definition.phase == phase)
        and (group is None or group in (definition.group, definition.return_group))
        and (source is None or definition.source == source)
    ]


def all_definitions() -> list[EventDefinition]:
    """Every definition, shipment events first, in table order."""
    return list(_INDEX.values())


def all_refs() -> list[str]:
    """Every ref an event can carry, e.g. for validating webhook subscriptions."""
    return [definition.ref for definition in _INDEX.values()]


def all_groups() -> list[EventGroup]:
    """Every group, including the delivered catch-all that no single event carries."""
    return list(EventGroup)


def names(definitions: Iterable[EventDefinition]) -> list[str]:
    """The names of `definitions`, a convenience for filters and tests."""
    return [definition.name for definition in definitions]
