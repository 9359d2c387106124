"""Output types of the events area: catalogue entries and carrier-detection candidates."""

import strawberry

from parcelgraph.domain import carriers
from parcelgraph.domain.carriers import CarrierCandidate
from parcelgraph.domain.event_definition import EventDefinition
from parcelgraph.schema.common.enums import EventSourceEnum, PhaseEnum


@strawberry.type(
    name="EventDefinition",
    description="One event name of the catalogue: what it means, its phase, its groups and "
    "the lifecycle flags it sets on a shipment.",
)
class EventDefinitionType:
    """A catalogue entry."""

    name: str = strawberry.field(description="The event name, e.g. OUT_FOR_DELIVERY.")
    ref: str = strawberry.field(
        description="Hierarchical name webhooks subscribe to, e.g. "
        "shipments/in_delivery/OUT_FOR_DELIVERY or claims/created."
    )
    source: EventSourceEnum = strawberry.field(description="SHIPMENTS or CLAIMS.")  # type: ignore[valid-type]
    phase: PhaseEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="The phase the event belongs to (null for claim events)."
    )
    group: str = strawberry.field(
        description="Event group for forward shipments (and claims), e.g. shipment_delivered."
    )
    return_group: str = strawberry.field(
        description="Event group when the shipment travels back to the merchant, e.g. "
        "return_shipment_in_transit."
    )
    description: str = strawberry.field(description="What the event means, in one line.")
    delayed: bool = strawberry.field(description="Marks the shipment delayed.")
    failed_attempt: bool = strawberry.field(description="Counts as a failed delivery attempt.")
    damaged: bool = strawberry.field(description="Marks the shipment damaged.")
    pre_transit: bool = strawberry.field(
        description="May be recorded on a draft shipment (one without a tracking number)."
    )
    keeps_phase: bool = strawberry.field(
        description="Reports a condition (delay, damage, carrier change, note) and never "
        "moves the shipment's phase."
    )

    @classmethod
    def from_definition(cls, definition: EventDefinition) -> "EventDefinitionType":
        """Map a domain definition to the type."""
        return cls(
            name=definition.name,
            ref=definition.ref,
            source=EventSourceEnum(definition.source.value),
            phase=PhaseEnum(definition.phase.value) if definition.phase else None,
            group=definition.group.value,
            return_group=definition.return_group.value,
            description=definition.description,
            delayed=definition.delayed,
            failed_attempt=definition.failed_attempt,
            damaged=definition.damaged,
            pre_transit=definition.pre_transit,
            keeps_phase=definition.keeps_phase,
        )


@strawberry.type(
    name="DetectionReason", description="One piece of evidence behind a carrier candidate."
)
class DetectionReasonType:
    """Why a carrier was considered."""

    code: str = strawberry.field(
        description="Kind of evidence: EXACT_CODE, NAME_MATCH, ALIAS_MATCH, PARTIAL_NAME_MATCH, "
        "FUZZY_NAME_MATCH (a near-miss spelling), NUMBER_PATTERN, CHECK_DIGIT_VALID, "
        "CHECK_DIGIT_INVALID, COUNTRY_HINT or DESTINATION_POST."
    )
    message: str = strawberry.field(description="The evidence in words.")
    weight: float = strawberry.field(
        description="Signed weight: positive supports the carrier, negative (a failed check "
        "digit) counts against it."
    )


@strawberry.type(
    name="CarrierCandidate",
    description="A carrier that may own a tracking number, with a confidence and the reasons.",
)
class CarrierCandidateType:
    """One ranked guess."""

    code: str = strawberry.field(description="Carrier registry code, e.g. ups, dhl, gls.")
    name: str = strawberry.field(description="The carrier's name.")
    confidence: float = strawberry.field(
        description="0..1: independent evidence combined; a failed check digit scales it down "
        "(only by a quarter as much when the shop named the carrier). Candidates within 0.01 "
        "of each other are a tie: upserts then store no carrier rather than guess."
    )
    tracking_url: str = strawberry.field(
        description="The carrier's public tracking page for this number."
    )
    reasons: list[DetectionReasonType] = strawberry.field(
        description="Every piece of evidence, in the order it was found."
    )

    @classmethod
    def from_candidate(cls, candidate: CarrierCandidate, number: str) -> "CarrierCandidateType":
        """Map a domain candidate to the type."""
        return cls(
            code=candidate.code,
            name=carriers.get_carrier(candidate.code).name,
            confidence=candidate.confidence,
            tracking_url=carriers.tracking_url(candidate.code, number),
            reasons=[
                DetectionReasonType(code=r.code.value, message=r.message, weight=r.weight)
                for r in candidate.reasons
            ],
        )
