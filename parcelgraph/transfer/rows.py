"""Reading an order file into upsert inputs: JSON lines or CSV, one order per line/row.

Each line of a JSON-lines file is one object in the shape of `UpsertOrderInput` (camelCase:
`{"id": "1001", "order": {...}, "trackings": [...]}`). A CSV file has one column per leaf of
that shape, named by its dotted path (`order.address.zipCode`, `trackings.0.trackingNumber`);
empty cells are left out. A row that does not parse or validate becomes a refusal with its
line number, field path and machine code, exactly as the API would report it.
"""

import csv
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from parcelgraph.domain.errors import Issue
from parcelgraph.resolvers.common.inputs import issues_of
from parcelgraph.resolvers.orders.inputs import UpsertInput


@dataclass(frozen=True)
class Row:
    """One line of the file: its number (1-based, as an editor shows it) and what it held."""

    line: int
    item: UpsertInput | None
    issues: tuple[Issue, ...] = ()


def is_csv(path: Path) -> bool:
    return path.suffix.lower() == ".csv"


def count(path: Path) -> int:
    """How many data rows the file has (for the progress bar's total)."""
    with path.open(encoding="utf-8") as file:
        lines = sum(1 for line in file if line.strip())
    return max(lines - 1, 0) if is_csv(path) else lines


def read(path: Path) -> Iterator[Row]:
    """Every data row of `path`, validated."""
    objects = _csv_objects(path) if is_csv(path) else _json_objects(path)
    for line, data in objects:
        if isinstance(data, Issue):
            yield Row(line, None, (data,))
            continue
        try:
            yield Row(line, UpsertInput.model_validate(data))
        except ValidationError as error:
            yield Row(line, None, tuple(issues_of(error)))


def _json_objects(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8") as file:
        for number, text in enumerate(file, start=1):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as error:
                yield number, Issue("INVALID_JSON", f"Not JSON: {error.msg}.", ())
                continue
            if not isinstance(data, dict):
                yield number, Issue("INVALID_INPUT", "Each line must be one JSON object.", ())
                continue
            yield number, data


def _csv_objects(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        for record in reader:
            cells = {k: v for k, v in record.items() if k and v not in (None, "")}
            if cells:
                yield reader.line_num, unflatten(cells)


def unflatten(cells: dict[str, str]) -> dict[str, Any]:
    """`{"order.address.zipCode": "1"}` → `{"order": {"address": {"zipCode": "1"}}}`;
    numeric segments index lists (`trackings.0.trackingNumber`)."""
    root: dict[str, Any] = {}
    for path, value in cells.items():
        parts = path.split(".")
        node: Any = root
        for part, following in itertools.pairwise(parts):
            node = _child(node, part, [] if following.isdigit() else {})
        _put(node, parts[-1], value)
    return root


def _child(node: Any, key: str, empty: Any) -> Any:
    if isinstance(node, list):
        index = int(key)
        while len(node) <= index:
            node.append(None)
        if node[index] is None:
            node[index] = empty
        return node[index]
    return node.setdefault(key, empty)


def _put(node: Any, key: str, value: str) -> None:
    if isinstance(node, list):
        _child(node, key, None)
        node[int(key)] = value
    else:
        node[key] = value
