"""Which events a webhook's `enabledEvents` entries select.

An entry matches an event when it is `*`, equals the event's ref, is a prefix of the ref
ending at a `/` boundary, or names the event's group. The group
`shipment_delivered_all_events` is a catch-all for every delivered variant.

The event catalogue lives elsewhere; functions that need it take its refs and groups as
arguments, so this module stays free of imports of our own.
"""

from collections.abc import Iterable

ALL_EVENTS = "*"
DELIVERED_ALL_EVENTS_GROUP = "shipment_delivered_all_events"
DELIVERED_GROUPS: frozenset[str] = frozenset(
    {
        "shipment_delivered",
        "shipment_delivered_to_neighbour",
        "shipment_delivered_to_letterbox",
        "shipment_delivered_to_parcel_shop",
        "shipment_delivered_to_parcel_locker",
    }
)


def _is_ref_prefix(entry: str, ref: str) -> bool:
    """True when `entry` is the whole ref or a leading run of its `/`-separated segments."""
    return bool(entry) and (ref == entry or ref.startswith(entry + "/"))


def _names_group(entry: str, group: str) -> bool:
    if not group:
        return False
    if entry == group:
        return True
    return entry == DELIVERED_ALL_EVENTS_GROUP and group in DELIVERED_GROUPS


def enabled_event_matches(entry: str, ref: str, group: str) -> bool:
    """True when one `enabledEvents` entry selects the event with this `ref` and `group`.

    Matching is exact and case-sensitive: `shipments/deliv` matches nothing, and so does an
    entry with a trailing `/`.
    """
    return entry == ALL_EVENTS or _is_ref_prefix(entry, ref) or _names_group(entry, group)


def webhook_wants(enabled_events: Iterable[str], ref: str, group: str) -> bool:
    """True when any entry selects the event. An empty list selects nothing: the API stores
    `["*"]` when `enabledEvents` is omitted, so an empty list only arises on purpose.
    """
    return any(enabled_event_matches(entry, ref, group) for entry in enabled_events)


def known_ref_prefixes(all_refs: Iterable[str]) -> set[str]:
    """All refs and their `/`-boundary prefixes: every entry that matches at least one ref."""
    prefixes: set[str] = set()
    for ref in all_refs:
        segments = ref.split("/")
        prefixes.update("/".join(segments[:end]) for end in range(1, len(segments) + 1))
    return prefixes


def is_known_entry(entry: str, ref_prefixes: set[str], all_groups: set[str]) -> bool:
    """True when `entry` can ever match: `*`, a ref or ref prefix, or a group name.

    `ref_prefixes` is `known_ref_prefixes(all_refs)`, computed once per catalogue.
    """
    if entry == ALL_EVENTS or entry in ref_prefixes or entry in all_groups:
        return True
    return entry == DELIVERED_ALL_EVENTS_GROUP and not DELIVERED_GROUPS.isdisjoint(all_groups)


def unknown_entries(entries: Iterable[str], all_refs: set[str], all_groups: set[str]) -> list[str]:
    """The entries that match no ref and no group of the catalogue (ENABLED_EVENT_UNKNOWN),
    each once, in the order they first appear.
    """
    prefixes = known_ref_prefixes(all_refs)
    unknown: list[str] = []
    for entry in entries:
        if entry not in unknown and not is_known_entry(entry, prefixes, all_groups):
            unknown.append(entry)
    return unknown
