"""Which claim reasons a stored shipment allows now: the claim rules applied to its row.

Pure functions: they read the shipment row (whose phase and flags are the cached fold of
its events) and the shipment's claims already loaded, never the database, so a query can
offer the options of many shipments without a statement per shipment. `claims.create`
reads its eligibility facts through `facts` as well, so the reasons offered and the
decision taken when a claim is filed cannot drift apart.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from parcelgraph.domain import claim_rules
from parcelgraph.domain.enums import ClaimReason, ClaimStatus, Phase
from parcelgraph.models import Claim, Shipment

# createClaim refuses this case with DUPLICATE_CLAIM (the partial unique index).
OPEN_CLAIM_EXISTS = "An open claim for this reason exists."


@dataclass(frozen=True, slots=True)
class ClaimOption:
    """One reason and, when it cannot be claimed now, the sentence saying why."""

    reason: ClaimReason
    why_not: str | None

    @property
    def eligible(self) -> bool:
        """True when a claim for this reason would be accepted now."""
        return self.why_not is None


def facts(shipment: Shipment) -> claim_rules.ShipmentFacts:
    """What eligibility reads from a stored shipment."""
    return claim_rules.ShipmentFacts(
        has_tracking=shipment.tracking_number is not None,
        phase=Phase(shipment.phase),
        delivered_at=shipment.delivered_at,
        failed_attempts=shipment.failed_attempts,
        last_news_at=shipment.last_event_at or shipment.tracking_placed_at,
    )


def options(
    shipment: Shipment,
    claims: Iterable[Claim],
    *,
    now: datetime,
    not_received_after_days: int,
) -> list[ClaimOption]:
    """Every claim reason (in the enum's order) with why it cannot be claimed now, if so.

    `claims` are the shipment's claims; an open one (PENDING or ACCEPTED) blocks its reason,
    as only one open claim per shipment and reason may exist.
    """
    known = facts(shipment)
    open_reasons = {c.reason for c in claims if claim_rules.is_open(ClaimStatus(c.status))}
    found: list[ClaimOption] = []
    for reason in ClaimReason:
        why_not = claim_rules.why_not_eligible(
            reason, known, now=now, not_received_after_days=not_received_after_days
        )
        if why_not is None and reason.value in open_reasons:
            why_not = OPEN_CLAIM_EXISTS
        found.append(ClaimOption(reason=reason, why_not=why_not))
    return found
