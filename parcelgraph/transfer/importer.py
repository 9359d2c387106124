"""`parcelgraph import orders`: a file of upserts through the bulk use case, in chunks.

Each chunk of valid rows is one `orders.bulk.fulfill` call in its own transaction, exactly
what `bulkFulfillment` does: every row succeeds or is refused on its own, events and
webhook deliveries are written with the orders. After each committed chunk the number of
the last line it covered is written to a checkpoint file beside the input, so a run that
was stopped resumes after it (upserts are idempotent, so even a repeated chunk is harmless).
A dry run applies every chunk in one transaction and rolls it back: the same refusals,
nothing written, no checkpoint.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from parcelgraph.db import Database
from parcelgraph.domain.errors import Issue
from parcelgraph.models import Shop
from parcelgraph.models.types import utcnow
from parcelgraph.resolvers.events import ArrivalPolicy
from parcelgraph.resolvers.orders import bulk
from parcelgraph.transfer import rows as order_rows


@dataclass(frozen=True)
class Refusal:
    """A row that was not imported: its line, and every issue with it."""

    line: int
    issues: tuple[Issue, ...]


@dataclass
class Report:
    """What a run did."""

    imported: int = 0
    skipped: int = 0  # lines a previous run had already committed
    refused: list[Refusal] = field(default_factory=list)


def checkpoint_path(path: Path) -> Path:
    return path.with_name(path.name + ".progress")


@dataclass(frozen=True)
class Checkpoint:
    """Up to which line a run committed, and which of those lines were refused (a later
    run tries those again, so fixing them in the file is enough)."""

    last_line: int = 0
    refused: frozenset[int] = frozenset()

    def done(self, line: int) -> bool:
        return line <= self.last_line and line not in self.refused


def _load(path: Path) -> Checkpoint:
    try:
        data = json.loads(checkpoint_path(path).read_text())
        return Checkpoint(int(data["last_line"]), frozenset(int(n) for n in data["refused"]))
    except (OSError, ValueError, KeyError, TypeError):
        return Checkpoint()


def _save(path: Path, last_line: int, report: Report) -> None:
    refused = sorted(refusal.line for refusal in report.refused)
    data = {"last_line": last_line, "refused": refused}
    checkpoint_path(path).write_text(json.dumps(data) + "\n")


def _chunks(rows: Iterator[order_rows.Row], size: int) -> Iterator[list[order_rows.Row]]:
    chunk: list[order_rows.Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def run(
    db: Database,
    *,
    shop: Shop,
    path: Path,
    chunk_size: int,
    arrival: ArrivalPolicy,
    dry_run: bool = False,
    restart: bool = False,
    advance: Callable[[int], None] = lambda _n: None,
) -> Report:
    """Import `path` into `shop`; `advance(n)` is told after every n rows handled."""
    report = Report()
    resume = Checkpoint() if (restart or dry_run) else _load(path)
    pending = []
    for row in order_rows.read(path):
        if resume.done(row.line):
            report.skipped += 1
            advance(1)
            continue
        pending.append(row)
    if dry_run:
        async with db.writer() as session:
            for chunk in _chunks(iter(pending), chunk_size):
                await _apply(session, shop, chunk, arrival, report)
                advance(len(chunk))
            await session.rollback()
        return report
    for chunk in _chunks(iter(pending), chunk_size):
        async with db.writer() as session:
            await _apply(session, shop, chunk, arrival, report)
            await session.commit()
        _save(path, max(chunk[-1].line, resume.last_line), report)
        advance(len(chunk))
    return report


async def _apply(session, shop, chunk, arrival, report) -> None:  # type: ignore[no-untyped-def]
    valid = [row for row in chunk if row.item is not None]
    report.refused.extend(Refusal(row.line, row.issues) for row in chunk if row.item is None)
    if not valid:
        return
    results = await bulk.fulfill(
        session,
        shop=shop,
        items=[row.item for row in valid],  # type: ignore[misc]
        now=utcnow(),
        max_items=len(valid),
        arrival=arrival,
    )
    for result in results:
        if result.issues:
            report.refused.append(Refusal(valid[result.index].line, tuple(result.issues)))
        else:
            report.imported += 1
    report.refused.sort(key=lambda refusal: refusal.line)
