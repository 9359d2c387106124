"""Claim eligibility (every reason by every phase) and the claim status machine."""

from datetime import UTC, datetime, timedelta

import pytest

from parcelgraph.domain.claim_rules import (
    STATUS_TRANSITIONS,
    ShipmentFacts,
    can_move,
    why_not_eligible,
    why_not_transition,
)
from parcelgraph.domain.enums import ClaimReason, ClaimStatus, Phase

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
DAYS = 7
P = Phase
R = ClaimReason

RECEIVED_PHASES = {
    P.DELIVERED,
    P.RETURN_CREATED,
    P.RETURN_TRANSIT,
    P.RETURN_RECEIVED,
    P.RETURN_FAILED,
}
FAILED_PHASES = {P.DELIVERY_FAILED, P.RETURNED}

# The expected table, written out: which phases allow each reason (fresh news, tracking on).
ALLOWED: dict[ClaimReason, set[Phase]] = {
    R.SUPPORT: set(Phase),
    R.INVESTIGATION: set(Phase),
    R.DAMAGE: RECEIVED_PHASES,
    R.PARTIAL_DAMAGE: RECEIVED_PHASES,
    R.MISSING_ITEM: RECEIVED_PHASES,
    R.WRONG_ITEM: RECEIVED_PHASES,
    R.RETURN: RECEIVED_PHASES,
    R.NOT_RECEIVED: RECEIVED_PHASES | FAILED_PHASES,
}


def facts_in(phase: Phase, *, news_age: timedelta = timedelta(hours=1)) -> ShipmentFacts:
    """A fulfilled shipment as it looks in `phase`, with its last event `news_age` ago."""
    delivered_at = NOW - timedelta(days=1) if phase in RECEIVED_PHASES else None
    return ShipmentFacts(
        has_tracking=True,
        phase=phase,
        delivered_at=delivered_at,
        failed_attempts=1 if phase is P.DELIVERY_FAILED else 0,
        last_news_at=NOW - news_age,
    )


def check(reason: ClaimReason, facts: ShipmentFacts) -> str | None:
    return why_not_eligible(reason, facts, now=NOW, not_received_after_days=DAYS)


def test_the_table_covers_every_reason() -> None:
    assert set(ALLOWED) == set(ClaimReason)


@pytest.mark.parametrize("phase", list(Phase), ids=lambda p: p.value)
@pytest.mark.parametrize("reason", list(ClaimReason), ids=lambda r: r.value)
def test_eligibility_table(reason: ClaimReason, phase: Phase) -> None:
    verdict = check(reason, facts_in(phase))
    if phase in ALLOWED[reason]:
        assert verdict is None
    else:
        assert verdict is not None
        assert verdict.startswith(f"{reason.value} needs")
        assert f"(it is {phase.value})" in verdict


@pytest.mark.parametrize("reason", list(ClaimReason), ids=lambda r: r.value)
def test_no_claim_on_a_draft_shipment(reason: ClaimReason) -> None:
    draft = ShipmentFacts(has_tracking=False, phase=P.ORDER_CREATED)
    assert check(reason, draft) == (
        f"{reason.value} needs a fulfilled shipment: this package has no tracking number yet."
    )


def test_not_received_message_names_the_threshold() -> None:
    assert check(R.NOT_RECEIVED, facts_in(P.IN_TRANSIT)) == (
        "NOT_RECEIVED needs the parcel delivered, failed, or without news for 7 days "
        "(it is in_transit)."
    )


def test_not_received_opens_after_the_configured_silence() -> None:
    almost = facts_in(P.IN_TRANSIT, news_age=timedelta(days=DAYS) - timedelta(seconds=1))
    exactly = facts_in(P.IN_TRANSIT, news_age=timedelta(days=DAYS))
    assert check(R.NOT_RECEIVED, almost) is not None
    assert check(R.NOT_RECEIVED, exactly) is None
    # Silence alone never opens the reasons about the contents of a parcel.
    assert check(R.DAMAGE, exactly) is not None


def test_the_silence_threshold_comes_from_the_caller() -> None:
    facts = facts_in(P.IN_TRANSIT, news_age=timedelta(days=3))
    assert why_not_eligible(R.NOT_RECEIVED, facts, now=NOW, not_received_after_days=3) is None
    assert why_not_eligible(R.NOT_RECEIVED, facts, now=NOW, not_received_after_days=4) == (
        "NOT_RECEIVED needs the parcel delivered, failed, or without news for 4 days "
        "(it is in_transit)."
    )


def test_a_failed_attempt_opens_not_received_while_back_in_delivery() -> None:
    second_attempt = ShipmentFacts(
        has_tracking=True, phase=P.IN_DELIVERY, failed_attempts=1, last_news_at=NOW
    )
    assert check(R.NOT_RECEIVED, second_attempt) is None


def test_without_any_news_time_silence_is_not_assumed() -> None:
    unknown = ShipmentFacts(has_tracking=True, phase=P.IN_TRANSIT, last_news_at=None)
    assert check(R.NOT_RECEIVED, unknown) is not None


# --- status machine -------------------------------------------------------------------

S = ClaimStatus
MOVES = {
    (S.PENDING, S.ACCEPTED),
    (S.PENDING, S.REJECTED),
    (S.PENDING, S.CLOSED),
    (S.ACCEPTED, S.CLOSED),
    (S.REJECTED, S.CLOSED),
}


@pytest.mark.parametrize("target", list(ClaimStatus), ids=lambda s: s.value)
@pytest.mark.parametrize("current", list(ClaimStatus), ids=lambda s: s.value)
def test_status_machine(current: ClaimStatus, target: ClaimStatus) -> None:
    assert can_move(current, target) is ((current, target) in MOVES)
    assert (why_not_transition(current, target) is None) is ((current, target) in MOVES)


def test_status_refusal_names_the_allowed_moves() -> None:
    assert why_not_transition(S.ACCEPTED, S.REJECTED) == (
        "The claim is ACCEPTED and cannot become REJECTED; it can become CLOSED."
    )
    assert why_not_transition(S.CLOSED, S.PENDING) == (
        "The claim is CLOSED and cannot become PENDING; it can become nothing (it is final)."
    )
    assert set(STATUS_TRANSITIONS) == set(ClaimStatus)
