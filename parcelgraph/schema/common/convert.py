"""GraphQL input objects as plain data, the shape the use cases' input models are built from.

Strawberry inputs are dataclasses with snake_case attributes, so they map one to one onto
the models' field names; enums become their values. A field left out (None) is dropped, so
the model's own default applies, as it would for a REST body that omits it.
"""

import dataclasses
from enum import Enum
from typing import Any


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
