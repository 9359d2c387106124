"""Claim rules: which reason a shipment's real state allows, and the status machine.

Pure functions over plain facts. The use case reads the facts from the stored shipment
(whose phase and flags are the cached fold of its events) and turns a refusal into
`CLAIM_NOT_ELIGIBLE` with the message returned here, so the customer is told why and
when they may try again.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from parcelgraph.domain import shipment_status
from parcelgraph.domain.enums import ClaimReason, ClaimStatus, Phase

R = ClaimReason
S = ClaimStatus

# Reasons about the contents of a parcel: only the recipient, after receiving it, can tell.
AFTER_RECEIPT: frozenset[ClaimReason] = frozenset(
    {R.DAMAGE, R.PARTIAL_DAMAGE, R.MISSING_ITEM, R.WRONG_ITEM, R.RETURN}
)
# Reasons a merchant or customer may raise at any point of the journey.
ANY_TIME: frozenset[ClaimReason] = frozenset({R.SUPPORT, R.INVESTIGATION})

# PENDING → ACCEPTED | REJECTED | CLOSED; ACCEPTED → CLOSED; REJECTED → CLOSED (ours).
STATUS_TRANSITIONS: dict[ClaimStatus, frozenset[ClaimStatus]] = {
    S.PENDING: frozenset({S.ACCEPTED, S.REJECTED, S.CLOSED}),
    S.ACCEPTED: frozenset({S.CLOSED}),
    S.REJECTED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class ShipmentFacts:
    """What eligibility reads from one shipment.

    `last_news_at` is the newest event's time, or the time the tracking was attached when
    the carrier never reported anything: silence counts from the moment the parcel left.
    """

    has_tracking: bool
    phase: Phase
    delivered_at: datetime | None = None
    failed_attempts: int = 0
    last_news_at: datetime | None = None


def _status(facts: ShipmentFacts) -> shipment_status.ShipmentStatus:
    return shipment_status.ShipmentStatus(
        phase=facts.phase, delivered_at=facts.delivered_at, failed_attempts=facts.failed_attempts
    )


def received(facts: ShipmentFacts) -> bool:
    """True once the recipient had the parcel (delivered, picked up, or being returned)."""
    return shipment_status.was_delivered_or_picked_up(_status(facts))


def failed(facts: ShipmentFacts) -> bool:
    """True when a delivery attempt failed or the parcel went back to the merchant."""
    return shipment_status.delivery_failed(_status(facts))


def quiet(facts: ShipmentFacts, *, now: datetime, not_received_after_days: int) -> bool:
    """True when the carrier has been silent for the configured number of days."""
    return shipment_status.is_quiet(
        facts.last_news_at, now=now, quiet_for=timedelta(days=not_received_after_days)
    )


def why_not_eligible(
    reason: ClaimReason, facts: ShipmentFacts, *, now: datetime, not_received_after_days: int
) -> str | None:
    """None when `reason` may be claimed for the shipment now, else a sentence saying why not."""
    if not facts.has_tracking:
        return (
            f"{reason.value} needs a fulfilled shipment: this package has no tracking number yet."
        )
    where = f"(it is {facts.phase.value})"
    if reason in ANY_TIME:
        return None
    if reason in AFTER_RECEIPT:
        if received(facts):
            return None
        return f"{reason.value} needs the parcel delivered or picked up {where}."
    if reason is R.NOT_RECEIVED:
        if received(facts) or failed(facts):
            return None
        if quiet(facts, now=now, not_received_after_days=not_received_after_days):
            return None
        return (
            f"{reason.value} needs the parcel delivered, failed, or without news for "
            f"{not_received_after_days} days {where}."
        )
    raise ValueError(f"no eligibility rule for {reason!r}")  # a new reason needs a rule


def can_move(current: ClaimStatus, target: ClaimStatus) -> bool:
    """True when the status machine allows `current` → `target`."""
    return target in STATUS_TRANSITIONS[current]


def why_not_transition(current: ClaimStatus, target: ClaimStatus) -> str | None:
    """None when the move is allowed, else a sentence naming the moves that are."""
    if can_move(current, target):
        return None
    allowed = sorted(s.value for s in STATUS_TRANSITIONS[current])
    options = ", ".join(allowed) if allowed else "nothing (it is final)"
    return (
        f"The claim is {current.value} and cannot become {target.value}; it can become {options}."
    )


def is_open(status: ClaimStatus) -> bool:
    """PENDING and ACCEPTED claims are open: one per (shipment, reason) at a time."""
    return status in (S.PENDING, S.ACCEPTED)
