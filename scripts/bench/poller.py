"""P1: the carrier poller at scale, in-process against its own database.

    .venv/bin/python -m scripts.bench.poller                      # SQLite, 100,000 parcels
    .venv/bin/python -m scripts.bench.poller --database-url postgresql+asyncpg://...
    .venv/bin/python -m scripts.bench --only P1                   # same, inside the suite

Seeds `--shipments` active parcels (one shop, one order each, all due), then measures with
an in-process adapter (no network, so the figures are the poller's own cost):

- one scheduler tick of `--due` parcels whose carrier history did not change: the SQL
  statements it sends (they must not grow with the batch) and CPU per 1,000 parcels;
- ticks where every parcel has one new scan: scans per second through the normalizer and
  the recording path into the event log (phase fold, outbox, sequences), sustained over
  `--ticks` ticks.
"""

import argparse
import asyncio
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, event, insert, update

from parcelgraph.db import Database
from parcelgraph.domain.tracking_schedule import SchedulePolicy, TrackingState
from parcelgraph.migrate import upgrade_async
from parcelgraph.models import Event, Order, Shipment, Shop
from parcelgraph.resolvers.events.arrival import ArrivalPolicy
from parcelgraph.resolvers.shops.carrier_credentials import CredentialCipher
from parcelgraph.tracking.adapters import RawStatus, TrackingUpdate, fetch_each
from parcelgraph.tracking.asking import Asked, digest_of
from parcelgraph.tracking.poller import CarrierPoller, PollerConfig
from parcelgraph.tracking.routing import Route, Router
from parcelgraph.tracking.sandbox import SandboxCarrier
from scripts.bench.report import Series, Table

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
_SKIP = {"BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE"}


class BenchCarrier:
    """Answers from memory: `scans` statuses per parcel, one more after each `advance`."""

    name = "sandbox"
    status_map = {"S": "ARRIVAL_AT_TRANSPORT_HUB"}
    batch_size = 50
    time_scale = 1.0

    def __init__(self) -> None:
        self.scans = 1

    async def fetch(self, request):  # type: ignore[no-untyped-def]
        statuses = [
            RawStatus("S", f"Hub scan {n}", T0 + timedelta(minutes=n), "Leipzig, DE")
            for n in range(self.scans)
        ]
        return TrackingUpdate(statuses)

    async def fetch_many(self, requests):  # type: ignore[no-untyped-def]
        return await fetch_each(self, requests)


def _digest(carrier: BenchCarrier) -> str:
    """The digest the poller stores for the carrier's current answer (the same for all)."""
    statuses = [RawStatus("S", f"Hub scan {n}", T0 + timedelta(minutes=n), "Leipzig, DE")
                for n in range(carrier.scans)]  # fmt: skip
    route = Route(carrier, TrackingState.ACTIVE)  # type: ignore[arg-type]
    return digest_of(Asked(None, route, TrackingUpdate(statuses)))  # type: ignore[arg-type]


async def _seed(db: Database, count: int, digest: str) -> None:
    shop_id = uuid.uuid4()
    async with db.writer() as session:
        await session.exec(insert(Shop), params=[{"id": shop_id, "slug": "bench", "name": "b",
                                                  "currency": "EUR", "language": "en",
                                                  "sandbox": True, "created_at": T0}])  # type: ignore[call-overload]  # fmt: skip
        for start in range(0, count, 10_000):
            orders, shipments = [], []
            for n in range(start, min(start + 10_000, count)):
                oid = uuid.uuid4()
                # Built as models so every column gets its default.
                orders.append(Order(id=oid, shop_id=shop_id, order_number=f"B{n}",
                                    order_placed_at=T0, currency="EUR", state="FULFILLED",
                                    created_at=T0, updated_at=T0).model_dump())  # fmt: skip
                shipments.append(Shipment(shop_id=shop_id, order_id=oid,
                                          tracking_number=f"SANDBOX-BENCH-{n}",
                                          carrier_reference="sandbox", phase="in_transit",
                                          tracking_state="ACTIVE", tracking_digest=digest,
                                          next_check_at=T0 + timedelta(seconds=n % 3600),
                                          created_at=T0, updated_at=T0).model_dump())  # fmt: skip
            await session.exec(insert(Order), params=orders)  # type: ignore[call-overload]
            await session.exec(insert(Shipment), params=shipments)  # type: ignore[call-overload]
        await session.commit()


def _poller(db: Database, carrier: BenchCarrier, clock, due: int) -> CarrierPoller:  # type: ignore[no-untyped-def]
    import httpx

    router = Router(specs=(), routes={}, base_urls={}, http=httpx.AsyncClient(), clock=clock,
                    sandbox=SandboxCarrier())  # fmt: skip
    router.sandbox = carrier  # type: ignore[assignment]
    config = PollerConfig(batch_size=due, concurrency=10, policy=SchedulePolicy())
    return CarrierPoller(db=db, broker=None, clock=clock, router=router, policy=ArrivalPolicy(),
                         config=config, cipher=CredentialCipher([]))  # fmt: skip


async def _make_due(db: Database, now: datetime) -> None:
    async with db.writer() as session:
        await session.exec(update(Shipment).values(next_check_at=now))  # type: ignore[call-overload]
        await session.commit()


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, _c, _cur, statement: str, *_a) -> None:  # type: ignore[no-untyped-def]
        head = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        self.count += head not in _SKIP


async def _tick_cost(db: Database, poller: CarrierPoller) -> tuple[int, float]:
    """Statements and CPU seconds of one tick whose parcels all answer unchanged."""
    counter = _Counter()
    for engine in db.engines:
        event.listen(engine.sync_engine, "before_cursor_execute", counter)
    started = time.process_time()
    report = await poller.poll_once()
    cpu = time.process_time() - started
    for engine in db.engines:
        event.remove(engine.sync_engine, "before_cursor_execute", counter)
    assert report.asked == poller.config.batch_size and report.recorded == 0, report
    return counter.count, cpu


async def measure(url: str, shipments: int, due: int, ticks: int, rounds: int) -> Table:
    """Seed, then measure tick cost and sustained ingest (see the module docstring)."""
    await upgrade_async(url)
    db = Database(url)
    clock_box = [T0 + timedelta(hours=2)]
    carrier = BenchCarrier()
    poller = _poller(db, carrier, lambda: clock_box[0], due)
    try:
        # Seeded as if the carrier's current answer had been recorded already, so a tick
        # over them sees no change (recording 100,000 first scans would take minutes).
        await _seed(db, shipments, _digest(carrier))
        cpu_per_k, statements = Series("scheduler tick, unchanged answers", "CPU ms/1,000"), []
        for _ in range(rounds):
            clock_box[0] += timedelta(days=1)
            await _make_due(db, clock_box[0])
            count, cpu = await _tick_cost(db, poller)
            statements.append(count)
            cpu_per_k.values.append(cpu * 1000 * 1000 / due)
        small = _poller(db, carrier, lambda: clock_box[0], due // 10)
        clock_box[0] += timedelta(days=1)
        await _make_due(db, clock_box[0])
        small_count, _ = await _tick_cost(db, small)
        ingest = Series("new scans through normalizer + event log", "events/s")
        for _ in range(rounds):
            carrier.scans += 1
            clock_box[0] += timedelta(days=1)
            await _make_due(db, clock_box[0])
            recorded, started = 0, time.perf_counter()
            for _ in range(ticks):
                recorded += (await poller.poll_once()).recorded
            ingest.values.append(recorded / (time.perf_counter() - started))
        return Table(
            "P1", f"carrier poller: {shipments:,} active parcels, {due:,} due per tick",
            "in-process, unpinned", cpu_per_k, [ingest],
            counts=[f"SQL statements per tick of {due:,} unchanged parcels: {statements[0]} "
                    f"(all rounds: {sorted(set(statements))}); per tick of {due // 10:,}: "
                    f"{small_count}"],
            notes=["the ratio column compares unlike units and means nothing here",
                   f"ingest: {ticks} ticks of {due:,} parcels with one new scan each per round"],
            lower_is_better=True,
        )  # fmt: skip
    finally:
        async with db.writer() as session:  # leave PostgreSQL databases reusable
            for model in (Event, Shipment, Order, Shop):
                await session.exec(delete(model))  # type: ignore[call-overload]
            await session.commit()
        await db.dispose()


async def p1(bench) -> Table:  # type: ignore[no-untyped-def]
    """The suite's entry: the default figures on a temporary SQLite file."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'p1.db'}"
        return await measure(url, 100_000, 1_000, 5, max(bench.rounds, 3))


def main() -> None:
    parser = argparse.ArgumentParser(description="P1: carrier poller benchmark")
    parser.add_argument("--database-url", default=None, help="Default: a temporary SQLite file.")
    parser.add_argument("--shipments", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000, help="Parcels per tick.")
    parser.add_argument("--ticks", type=int, default=5, help="Ticks per ingest round.")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'p1.db'}"
        table = asyncio.run(measure(url, args.shipments, args.due, args.ticks, args.rounds))
    print(table.render())


if __name__ == "__main__":
    main()
