"""GraphQL input objects as plain data, the shape the use cases' input models are built from.

Strawberry inputs are dataclasses with snake_case attributes, so they map one to one onto
the models' field names; enums become their values. A field left out (None) is dropped, so
the model's own default applies, as it would for a REST body that omits it.

The other way, `from_attributes` builds an output type from a stored row.
"""

import dataclasses
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")


def plain(value: Any) -> Any:
    """`value` as dicts, lists and scalars (enums as their values, None fields dropped)."""
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
        return {name: plain(item) for name, item in fields if item is not None}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def from_attributes(cls: type[T], source: Any, /, **computed: Any) -> T:
    """An instance of the Strawberry type `cls` whose fields `computed` does not give are
    `source`'s attributes of the same names: a row's columns copied where the names agree,
    so a type's `from_row` states only what it computes. (`cls` and `source` are
    positional-only: a type may have fields of those names.)"""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    copied = {f.name: getattr(source, f.name) for f in fields if f.init and f.name not in computed}
    return cls(**copied, **computed)
