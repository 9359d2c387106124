"""How a stored row becomes a v1 response model.

A v1 model mostly repeats its row's columns under the same names; `from_row` copies those
and a view states only what it renames or computes (ids as `uuid`, lower-case enums, nested
models). Pydantic converts what it copies as it does any input: a Decimal amount to a JSON
number, a stored JSON list of images to the image models.
"""

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def from_row(model: type[M], row: Any, /, **computed: Any) -> M:
    """`model` with `computed`, and every other field the row has an attribute of that name
    copied from it; a field the row lacks keeps its default. (`model` and `row` are
    positional-only: a model may have fields of those names.)"""
    copied = {
        name: getattr(row, name)
        for name in model.model_fields
        if name not in computed and hasattr(row, name)
    }
    return model(**copied, **computed)
