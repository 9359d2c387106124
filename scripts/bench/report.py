# ruff: noqa: RUF001  (the multiplication sign is the ratio sign of the printed tables)
"""Rounds, ratios and the per-workload table (machine, versions, figures, ratio, counts)."""

import os
import platform
import statistics
from dataclasses import dataclass, field
from importlib import metadata


class Skipped(Exception):
    """A workload whose prerequisites are missing here; the message says which."""


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = "load avg " + " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = ""
    return f"{model}, {os.cpu_count()} cores, {load}"


def versions() -> str:
    names = (
        "strawberry-graphql",
        "graphql-core",
        "fastapi",
        "starlette",
        "uvicorn",
        "sqlalchemy",
        "aiosqlite",
        "orjson",
    )
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return f"Python {platform.python_version()}, " + ", ".join(found)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Series:
    """One system's figure per round (higher is better unless `lower_is_better`)."""

    name: str
    unit: str
    values: list[float] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)  # e.g. "p99 ms", for the targets

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")


@dataclass
class Table:
    workload: str
    title: str
    pinning: str
    candidate: Series
    baselines: list[Series]
    counts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lower_is_better: bool = False
    target: str = ""
    summary_note: str = ""  # said beside the ratio in the targets table

    def ratios(self, baseline: Series) -> list[float]:
        pairs = zip(self.candidate.values, baseline.values, strict=False)
        if self.lower_is_better:
            return [b / c for c, b in pairs if c]
        return [c / b for c, b in pairs if b]

    def render(self) -> str:
        lines = [
            f"### {self.workload}: {self.title}",
            "",
            f"- machine: {machine()}; pinning: {self.pinning}",
            f"- versions: {versions()}",
        ]
        if self.target:
            lines.append(f"- target: {self.target}")
        lines += [
            "",
            "| system | unit | median | min | max | ratio cand/base median (min–max) |",
            "|---|---|---|---|---|---|",
        ]
        for series in [self.candidate, *self.baselines]:
            if series is self.candidate:
                ratio = "—"
            else:
                r = self.ratios(series)
                ratio = (
                    f"**{statistics.median(r):.2f}×** ({min(r):.2f}–{max(r):.2f})" if r else "n/a"
                )
            vals = series.values or [float("nan")]
            lines.append(
                f"| {series.name} | {series.unit} | {series.median:,.1f} | "
                f"{min(vals):,.1f} | {max(vals):,.1f} | {ratio} |"
            )
        details = [f"{s.name}: {x}" for s in [self.candidate, *self.baselines] for x in s.extra]
        if details:
            lines += [""] + [f"- {d}" for d in details]
        if self.counts:
            lines += ["", "Counts (deterministic):"] + [f"- {c}" for c in self.counts]
        if self.notes:
            lines += [""] + [f"- note: {n}" for n in self.notes]
        return "\n".join(lines) + "\n"
