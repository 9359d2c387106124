# ruff: noqa: RUF001  (the multiplication sign is the ratio sign of the printed tables)
"""The targets table printed after the run: every target beside what this run measured.

One line per target of the performance issue, in its order, whether or not its workload
ran: a workload left out by `--only` says so, one whose prerequisites are missing says
why it was skipped, one that failed says that. A ratio is the median of the per-round
ratios (min to max beside it); "short by" is how far the median is from the target.
"""

import statistics
from dataclasses import dataclass

from scripts.bench.report import Table


@dataclass(frozen=True)
class Target:
    """A ratio against the baseline whose name starts with `baseline`, or a candidate metric."""

    workload: str
    text: str
    goal: float
    baseline: str = ""
    metric: str = ""
    at_most: bool = False  # the measured figure must be <= goal (latency, memory growth)


TARGETS = (
    Target("Q1", "≥ 1.0× rest (SQLite)", 1.0, baseline="rest"),
    Target("Q1-PG", "≥ 0.5× PostGraphile 4 (PostgreSQL)", 0.5, baseline="PostGraphile"),
    Target("Q1-PG", "≥ 1.0× rest (PostgreSQL)", 1.0, baseline="rest (PostgreSQL)"),
    Target("Q2", "≥ 0.5× rest (SQLite)", 0.5, baseline="rest"),
    Target("Q2-PG", "≥ 0.5× rest (PostgreSQL)", 0.5, baseline="rest (PostgreSQL)"),
    Target("S1", "p99 event→client ≤ 50 ms", 50.0, metric="p99 ms", at_most=True),
    Target("S1", "≥ 0.8× bare WebSocket broadcast", 0.8, baseline="bare Starlette"),
    Target("M1", "≥ 0.7× rest", 0.7, baseline="rest write"),
    Target("M3", "≥ 0.25× raw sqlite3", 0.25, baseline="raw sqlite3"),
    Target("W1", "≥ 0.6× a bare client loop", 0.6, baseline="bare httpx"),
    Target("W1", "enqueue→first attempt p99 ≤ 50 ms", 50.0, metric="p99 ms", at_most=True),
    Target(
        "R1",
        "RSS after 100k requests ≤ 1.10× RSS after 1k",
        1.10,
        baseline="RSS after",
        at_most=True,
    ),
    Target("A1", "victim p50 under attack ≤ 1.5× quiet", 1.5, baseline="quiet p50", at_most=True),
)


def _verdict(target: Target, value: float) -> str:
    met = value <= target.goal if target.at_most else value >= target.goal
    if met:
        return "**met**"
    if value <= 0:
        return "not met"
    short = value / target.goal if target.at_most else target.goal / value
    return f"not met ({short:.1f}× short)"


def _measure(target: Target, table: Table) -> tuple[str, str]:
    """What the table says about the target: the measured text and the verdict."""
    if target.metric:
        value = table.candidate.metrics.get(target.metric)
        if value is None:
            return "not measured", "—"
        return f"{value:,.1f} ms", _verdict(target, value)
    baseline = next((s for s in table.baselines if s.name.startswith(target.baseline)), None)
    ratios = table.ratios(baseline) if baseline else []
    if not ratios:
        skipped = (n for n in table.notes if n.startswith(target.baseline) and "skipped:" in n)
        why = "no rounds" if baseline else next(skipped, "baseline not run (see its table)")
        return why, "—"
    if not any(table.candidate.values):
        return "0: nothing finished within a round (try longer --seconds)", "not met"
    median = statistics.median(ratios)
    text = f"{median:.2f}× ({min(ratios):.2f}–{max(ratios):.2f})"
    if table.summary_note:
        text += f"; {table.summary_note}"
    return text, _verdict(target, median)


def render(results: dict[str, Table | str], ran: list[str]) -> str:
    """The markdown table; `results` maps a workload to its Table or to why it has none."""
    lines = [
        "### Targets",
        "",
        "| workload | target | measured: median (min–max) | verdict |",
        "|---|---|---|---|",
    ]
    for target in TARGETS:
        result = results.get(target.workload)
        if isinstance(result, Table):
            measured, verdict = _measure(target, result)
        elif result is not None:
            measured, verdict = result, "—"
        elif target.workload not in ran:
            measured, verdict = "not run (left out by --only)", "—"
        else:
            measured, verdict = "no result", "—"
        lines.append(f"| {target.workload} | {target.text} | {measured} | {verdict} |")
    return "\n".join(lines) + "\n"
