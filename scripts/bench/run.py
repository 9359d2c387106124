"""Run the benchmark suite (or some workloads): one table per workload, then the targets.

    scripts/benchmark                      # everything, ~15 minutes (builds .venv first)
    scripts/benchmark --only Q1,Q2         # some workloads
    .venv/bin/python -m scripts.bench --output bench-latest.md
    BENCH_POSTGRES_URL=postgresql://USER@HOST/DB scripts/benchmark   # with Q1-PG, Q2-PG

Candidate and baselines run interleaved (A B A B ...) for `--rounds` rounds of `--seconds`
each; the table gives medians, min-max and per-round ratios. Servers run as subprocesses
pinned to core 0, the load generator (this process) on core 1. A workload whose
prerequisites are missing says why it was skipped; the closing targets table has a line
for every target either way (targets.py).
"""

import argparse
import asyncio
import time
from pathlib import Path

from scripts.bench import env, reads, targets
from scripts.bench.load import CLIENT_CPU, SERVER_CPU, pin
from scripts.bench.report import Skipped, Table

WORKLOADS = {
    "Q1": reads.q1,
    "Q2": reads.q2,
    "Q3": reads.q3,
}


def _register_optional() -> None:
    # Imported lazily so `--only Q1` never needs the subscription or webhook modules.
    from scripts.bench import attack, memory, poller, reads_pg, subs, webhooks, writes

    WORKLOADS.update(
        {
            "Q1-PG": reads_pg.q1_pg,
            "Q2-PG": reads_pg.q2_pg,
            "M1": writes.m1,
            "M2": writes.m2,
            "M3": writes.m3,
            "S1": subs.s1,
            "S2": subs.s2,
            "W1": webhooks.w1,
            "R1": memory.r1,
            "P1": poller.p1,
            "A1": attack.a1,
        }
    )


ORDER = ("Q1", "Q2", "Q1-PG", "Q2-PG", "Q3", "M1", "M2", "M3", "S1", "S2", "W1", "R1", "P1", "A1")


async def _one(bench: env.Bench, workload: str) -> tuple[str, Table | str]:
    """The workload's rendered text and its table (or why there is none)."""
    started = time.perf_counter()
    result: Table | str
    try:
        result = await WORKLOADS[workload](bench)
        text = result.render()
    except Skipped as why:
        result = f"skipped: {why}"
        text = f"### {workload}: skipped\n\n{why}\n"
    except Exception as error:  # one broken workload must not hide the others
        result = f"FAILED: {type(error).__name__}"
        text = f"### {workload}: FAILED\n\n```\n{type(error).__name__}: {error}\n```\n"
    return text + f"\n_{workload} took {time.perf_counter() - started:.0f} s._\n", result


async def _run(bench: env.Bench, ids: list[str], output: Path | None) -> None:
    rendered, results = [], {}
    try:
        for workload in ids:
            text, results[workload] = await _one(bench, workload)
            print(text, flush=True)
            rendered.append(text)
            if output:
                output.write_text("\n".join(rendered))  # noqa: ASYNC240  (tiny, between rounds)
    finally:
        await bench.close_in_process()
        bench.stop()
    summary = targets.render(results, ids)
    print(summary, flush=True)
    if output:
        output.write_text("\n".join([*rendered, summary]))  # noqa: ASYNC240


def main() -> None:
    parser = argparse.ArgumentParser(description="parcelgraph benchmark suite")
    parser.add_argument("--only", default="", help="Comma-separated workload ids, e.g. Q1,M2")
    parser.add_argument("--rounds", type=int, default=5, help="Interleaved rounds (>= 5).")
    parser.add_argument("--seconds", type=float, default=2.0, help="Seconds per round.")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 10,000 seeded orders.")
    parser.add_argument("--reseed", action="store_true", help="Rebuild the seeded template.")
    parser.add_argument(
        "--memory-requests",
        type=int,
        default=100_000,
        help="R1: requests before the second RSS reading (the target's 100,000).",
    )
    parser.add_argument("--output", type=Path, default=None, help="Also write tables here.")
    args = parser.parse_args()
    _register_optional()
    ids = [w.strip().upper() for w in args.only.split(",") if w.strip()] or list(ORDER)
    unknown = [w for w in ids if w not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload(s): {', '.join(unknown)}")
    started = time.perf_counter()
    path, authorization, seeded = env.prepare_database(args.scale, args.reseed)
    if seeded:
        print(
            f"seeded {seeded.orders} orders / {seeded.shipments} shipments / "
            f"{seeded.events} events in {seeded.order_seconds + seeded.event_seconds:.0f} s"
        )
    client = pin(CLIENT_CPU)
    pinning = f"servers on cpu {SERVER_CPU}, load generator on {client}"
    logdir = env.WORKDIR / "logs"
    logdir.mkdir(parents=True, exist_ok=True)
    bench = env.Bench(path, authorization, args.rounds, args.seconds, pinning, logdir)
    bench.scale, bench.reseed = args.scale, args.reseed
    bench.memory_requests = args.memory_requests
    asyncio.run(_run(bench, ids, args.output))
    print(f"suite took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
