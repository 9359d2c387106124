"""`Shipment.claimOptions`: the claim rules offered per reason, as createClaim applies them."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from parcelgraph.domain.claim_rules import ShipmentFacts, why_not_eligible
from parcelgraph.domain.enums import ClaimReason, Phase
from parcelgraph.models import Order, Shipment
from tests.factories import Factory
from tests.support import FrozenClock, count_statements

QUIET_DAYS = 5  # not the default 7, so a hard-coded rule would show

OPTIONS = """
query ($number: String) {
  order(orderNumber: $number) {
    shipments { position claimOptions { reason eligible whyNot } }
  }
}
"""


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"not_received_after_days": QUIET_DAYS}


@dataclass(frozen=True)
class Case:
    """A stored shipment state, described relative to now."""

    name: str
    phase: Phase = Phase.ORDER_PROCESSED
    tracking: bool = True
    placed_days_ago: float = 1
    news_days_ago: float | None = None
    delivered: bool = False
    failed_attempts: int = 0


CASES = (
    Case("draft", phase=Phase.ORDER_CREATED, tracking=False),
    Case("just fulfilled"),
    Case("no news since tracking for the quiet days", placed_days_ago=QUIET_DAYS),
    Case(
        "in transit, news just inside the quiet days",
        Phase.IN_TRANSIT,
        placed_days_ago=9,
        news_days_ago=QUIET_DAYS - 0.01,
    ),
    Case("in transit, quiet", Phase.IN_TRANSIT, placed_days_ago=9, news_days_ago=QUIET_DAYS + 1),
    Case("a failed attempt", Phase.IN_DELIVERY, news_days_ago=0.5, failed_attempts=1),
    Case("delivery failed", Phase.DELIVERY_FAILED, news_days_ago=0.5),
    Case("delivered", Phase.DELIVERED, news_days_ago=0.5, delivered=True),
    Case("returned to the shop", Phase.RETURNED, news_days_ago=0.5),
    Case("return on its way", Phase.RETURN_TRANSIT, news_days_ago=0.5),
)


def _days_ago(now: datetime, days: float | None) -> datetime | None:
    return None if days is None else now - timedelta(days=days)


def expected_facts(case: Case, now: datetime) -> ShipmentFacts:
    """The facts the rules must see for a case, written out independently of the code."""
    placed = _days_ago(now, case.placed_days_ago) if case.tracking else None
    news = _days_ago(now, case.news_days_ago)
    return ShipmentFacts(
        has_tracking=case.tracking,
        phase=case.phase,
        delivered_at=news if case.delivered else None,
        failed_attempts=case.failed_attempts,
        last_news_at=news or placed,
    )


async def store(factory: Factory, cases: tuple[Case, ...], number: str = "1001") -> Order:
    """Order `number` with one shipment per case, at positions 1..n."""
    now = factory.clock()
    order = await factory.order(await factory.shop("acme"), number)
    rows = []
    for position, case in enumerate(cases, start=1):
        news = _days_ago(now, case.news_days_ago)
        rows.append(
            Shipment(
                shop_id=order.shop_id,
                order_id=order.id,
                position=position,
                tracking_number=f"{number}-{position}" if case.tracking else None,
                tracking_placed_at=_days_ago(now, case.placed_days_ago) if case.tracking else None,
                carrier_reference="dhl" if case.tracking else None,
                phase=case.phase.value,
                last_event_at=news,
                delivered_at=news if case.delivered else None,
                failed_attempts=case.failed_attempts,
                created_at=now - timedelta(days=10),
                updated_at=now,
            )
        )
    async with factory.db.writer() as session:
        session.add_all(rows)
        await session.commit()
    return order


async def options_of(caller, number: str = "1001") -> dict[int, dict[str, dict]]:  # type: ignore[no-untyped-def]
    """position → reason → {eligible, whyNot}."""
    data = await caller.data(OPTIONS, {"number": number})
    return {
        s["position"]: {
            o["reason"]: {"eligible": o["eligible"], "whyNot": o["whyNot"]}
            for o in s["claimOptions"]
        }
        for s in data["order"]["shipments"]
    }


@pytest.mark.parametrize("reason", list(ClaimReason), ids=lambda r: r.value)
async def test_each_reason_is_offered_exactly_as_the_claim_rules_decide(
    shop, factory: Factory, clock: FrozenClock, reason: ClaimReason
) -> None:
    # given one shipment in each state a claim rule distinguishes
    await store(factory, CASES)

    # when the options are read
    found = await options_of(shop)

    # then every shipment answers for the reason what the domain rule answers
    for position, case in enumerate(CASES, start=1):
        why = why_not_eligible(
            reason,
            expected_facts(case, clock()),
            now=clock(),
            not_received_after_days=QUIET_DAYS,
        )
        assert found[position][reason.value] == {"eligible": why is None, "whyNot": why}, case


async def test_every_reason_is_listed_once_and_the_quiet_days_come_from_the_settings(
    shop, factory: Factory
) -> None:
    await store(factory, CASES)

    found = await options_of(shop)

    eligible = {
        CASES[p - 1].name: sorted(r for r, o in reasons.items() if o["eligible"])
        for p, reasons in found.items()
    }
    assert all(
        sorted(reasons) == sorted(r.value for r in ClaimReason) for reasons in found.values()
    )
    anytime = ["INVESTIGATION", "SUPPORT"]
    after_receipt = ["DAMAGE", "MISSING_ITEM", "PARTIAL_DAMAGE", "RETURN", "WRONG_ITEM"]
    assert eligible == {
        "draft": [],
        "just fulfilled": anytime,
        "no news since tracking for the quiet days": ["INVESTIGATION", "NOT_RECEIVED", "SUPPORT"],
        "in transit, news just inside the quiet days": anytime,
        "in transit, quiet": ["INVESTIGATION", "NOT_RECEIVED", "SUPPORT"],
        "a failed attempt": ["INVESTIGATION", "NOT_RECEIVED", "SUPPORT"],
        "delivery failed": ["INVESTIGATION", "NOT_RECEIVED", "SUPPORT"],
        "delivered": sorted([*anytime, *after_receipt, "NOT_RECEIVED"]),
        "returned to the shop": ["INVESTIGATION", "NOT_RECEIVED", "SUPPORT"],
        "return on its way": sorted([*anytime, *after_receipt, "NOT_RECEIVED"]),
    }
    assert found[4]["NOT_RECEIVED"]["whyNot"] == (
        "NOT_RECEIVED needs the parcel delivered, failed, or without news for 5 days "
        "(it is in_transit)."
    )


async def test_an_open_claim_blocks_its_reason_until_it_is_closed(shop, factory: Factory) -> None:
    # given a delivered parcel with open, rejected and closed claims
    await store(factory, (CASES[7],))
    async with factory.db.reader() as session:
        shipment = (await session.exec(Shipment.__table__.select())).one()  # type: ignore[attr-defined]
    row = Shipment(**shipment._mapping)
    for reason, status in (
        ("DAMAGE", "PENDING"),
        ("SUPPORT", "ACCEPTED"),
        ("RETURN", "CLOSED"),
        ("WRONG_ITEM", "REJECTED"),
    ):
        await factory.claim(row, reason=reason, status=status)

    found = (await options_of(shop))[1]

    # then PENDING and ACCEPTED claims block their reason; REJECTED and CLOSED ones do not
    blocked = {"eligible": False, "whyNot": "An open claim for this reason exists."}
    assert found == {
        "PARTIAL_DAMAGE": {"eligible": True, "whyNot": None},
        "DAMAGE": blocked,
        "INVESTIGATION": {"eligible": True, "whyNot": None},
        "SUPPORT": blocked,
        "RETURN": {"eligible": True, "whyNot": None},
        "NOT_RECEIVED": {"eligible": True, "whyNot": None},
        "MISSING_ITEM": {"eligible": True, "whyNot": None},
        "WRONG_ITEM": {"eligible": True, "whyNot": None},
    }


async def test_the_order_token_holder_sees_the_options_of_their_order(
    factory: Factory, shop
) -> None:
    order = await store(factory, (CASES[1],))

    customer = shop.as_(await factory.token(order))
    found = await options_of(customer)

    assert [r for r, o in found[1].items() if o["eligible"]] == ["INVESTIGATION", "SUPPORT"]


async def test_the_statement_count_does_not_grow_with_the_shipments(
    shop, factory: Factory, db
) -> None:
    # given an order with one parcel and another with thirty, all with claims
    await store(factory, (CASES[7],), number="ONE")
    await store(factory, tuple(CASES[7] for _ in range(30)), number="MANY")
    async with factory.db.reader() as session:
        rows = (await session.exec(Shipment.__table__.select())).all()  # type: ignore[attr-defined]
    for row in rows:
        await factory.claim(Shipment(**row._mapping), reason="DAMAGE")
    claims_only = OPTIONS.replace("claimOptions { reason eligible whyNot }", "claims { reason }")
    both = OPTIONS.replace("claimOptions {", "claims { reason } claimOptions {")

    # when the options of one and of thirty parcels are read, alone and beside `claims`
    counts = {}
    for name, document, number in (
        ("one", OPTIONS, "ONE"),
        ("thirty", OPTIONS, "MANY"),
        ("claims only", claims_only, "MANY"),
        ("claims and options", both, "MANY"),
    ):
        with count_statements(db) as counter:
            data = await shop.data(document, {"number": number})
        assert len(data["order"]["shipments"]) == (1 if number == "ONE" else 30)
        counts[name] = counter.count

    # then: auth + order + shipments + one SELECT of every shipment's claims, whatever the
    # number of parcels; `claims` and `claimOptions` share that SELECT
    assert counts == {"one": 4, "thirty": 4, "claims only": 4, "claims and options": 4}
