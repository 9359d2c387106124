"""The cohort every analytics report counts: one shop's orders placed in a period."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from parcelgraph.models import Order


@dataclass(frozen=True)
class Period:
    """One shop's orders placed in [placed_from, placed_to); either end may be open."""

    shop_id: uuid.UUID
    placed_from: datetime | None = None
    placed_to: datetime | None = None

    def conditions(self) -> list[Any]:
        """WHERE clauses selecting the cohort's orders."""
        found: list[Any] = [Order.shop_id == self.shop_id]
        if self.placed_from is not None:
            found.append(Order.order_placed_at >= self.placed_from)
        if self.placed_to is not None:
            found.append(Order.order_placed_at < self.placed_to)
        return found
