"""The shape of one catalogue entry: what an event name means and which flags it sets."""

from __future__ import annotations

from dataclasses import dataclass

from parcelgraph.domain.enums import EventSource, Phase
from parcelgraph.domain.event_groups import EventGroup


@dataclass(frozen=True, slots=True)
class EventDefinition:
    """One event name. Shipment events have a phase; claim events have none.

    `group` is the bucket for forward shipments (and claims), `return_group` the bucket
    when the shipment travels CUSTOMER_MERCHANT. Flags describe what the event says about
    the parcel; `keeps_phase` events report a condition (delay, damage, a carrier switch)
    and never move the phase, although their ref still names the phase they belong to.
    """

    name: str
    source: EventSource
    phase: Phase | None
    group: EventGroup
    return_group: EventGroup
    description: str
    delayed: bool = False
    failed_attempt: bool = False
    damaged: bool = False
    pre_transit: bool = False
    keeps_phase: bool = False

    @property
    def ref(self) -> str:
        """`shipments/{phase}/{NAME}` or `claims/{action}`."""
        if self.phase is None:
            return f"{self.source}/{self.name.removeprefix('CLAIM_').lower()}"
        return f"{self.source}/{self.phase}/{self.name}"
