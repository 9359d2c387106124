"""A carrier's documented status codes: code → catalogue event, with the carrier's words.

The tables are written in carriers.toml (read by facts.py). The normalizer reads a
`StatusTable` as a plain mapping; building one checks that every event exists in the
catalogue and that no code is listed twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from parcelgraph.domain import catalogue


@dataclass(frozen=True, slots=True)
class Code:
    """One documented carrier code, the catalogue event it means, and the carrier's words."""

    code: str
    event: str
    meaning: str


class StatusTable(Mapping[str, str]):
    """A carrier's documented codes; reads as `code → event name` for the normalizer."""

    def __init__(self, carrier: str, rows: Iterable[Code], *, unmapped: Iterable[str] = ()) -> None:
        self.carrier = carrier
        self.rows: tuple[Code, ...] = tuple(rows)
        # Documented codes that say nothing we could map (e.g. DHL's `unknown`): left out
        # of the map on purpose so the normalizer keeps them as UNMAPPED with raw text.
        self.unmapped: tuple[str, ...] = tuple(unmapped)
        self._index = {row.code: row.event for row in self.rows}
        if len(self._index) != len(self.rows) or set(self._index) & set(self.unmapped):
            raise ValueError(f"{carrier}: a status code is listed twice")
        bad = sorted(
            {r.event for r in self.rows if not catalogue.exists(r.event) or r.event == "UNMAPPED"}
        )
        if bad:
            raise ValueError(f"{carrier}: events not in the catalogue (or UNMAPPED): {bad}")

    def __getitem__(self, code: str) -> str:
        return self._index[code]

    def __iter__(self):  # type: ignore[override]
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)
