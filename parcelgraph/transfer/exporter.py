"""`parcelgraph export orders`: a shop's orders as JSON lines in the upsert shape.

The file is what `parcelgraph import orders` reads, so moving a shop's orders between
instances (or into a fresh database) is an export followed by an import. It is written to
a temporary file beside the target and renamed when complete, so an interrupted export
never leaves a truncated file that an import would take for the whole history.
"""

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parcelgraph.db import Database
from parcelgraph.resolvers import shops
from parcelgraph.resolvers.orders import export


async def run(
    db: Database,
    *,
    shop_slug: str,
    path: Path,
    page_size: int,
    start: Callable[[int], Any],
    advance: Callable[[Any, int], None],
) -> int | None:
    """Write every order of the shop to `path`; how many, or None for an unknown shop.

    `start(total)` is called once with the number of orders and returns a handle that
    `advance(handle, n)` receives after each page (a progress bar's task).
    """
    partial = path.with_name(path.name + ".partial")
    written = 0
    async with db.reader() as session:
        shop = await shops.get_by_slug(session, slug=shop_slug)
        if shop is None:
            return None
        task = start(await export.count(session, shop_id=shop.id))
        with partial.open("w", encoding="utf-8") as file:
            async for page in export.pages(session, shop_id=shop.id, page_size=page_size):
                file.writelines(json.dumps(item, ensure_ascii=False) + "\n" for item in page)
                written += len(page)
                advance(task, len(page))
    os.replace(partial, path)
    return written
