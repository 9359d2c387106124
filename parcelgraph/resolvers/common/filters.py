"""The conditions of list filters.

An empty filter value means "everything": it adds no condition. Each helper returns a list
of conditions (empty or one), so a list's SELECT states only which column each value of its
filter narrows: `select(M).where(M.shop_id == shop, *any_of(M.status, where.statuses), ...)`.
"""

from collections.abc import Sequence
from typing import Any


def any_of(column: Any, values: Sequence[Any]) -> list[Any]:
    """`column IN values`, or no condition when `values` is empty."""
    return [column.in_(list(values))] if values else []


def equal(column: Any, value: Any) -> list[Any]:
    """`column = value`, or no condition when `value` is None."""
    return [] if value is None else [column == value]


def between(column: Any, start: Any, end: Any) -> list[Any]:
    """`start <= column < end`, each bound only when it is given."""
    return [
        *([] if start is None else [column >= start]),
        *([] if end is None else [column < end]),
    ]
