"""The webhook worker as a background service of the app, and the doorbells that wake it.

`parcelgraph serve` runs it in-process unless switched off; `parcelgraph worker` runs only the
background services. Commits in this process wake it directly (`outbox_wakeup.WAKEUP`);
commits in other processes ring it through the broker's outbox channel (Redis) or, on
PostgreSQL without Redis, through LISTEN/NOTIFY (`pg_doorbell`).
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from parcelgraph.config import Settings
from parcelgraph.pubsub import OUTBOX_CHANNEL, SubscriberTooSlow
from parcelgraph.resolvers.common import outbox_wakeup
from parcelgraph.webhooks.pg_doorbell import PgDoorbell
from parcelgraph.webhooks.worker import WebhookWorker

logger = logging.getLogger(__name__)


async def start_service(state: Any) -> Callable[[], Awaitable[None]]:
    """The app's background service: run the worker when settings ask for it."""
    settings: Settings = state.settings
    if not settings.run_webhook_worker:

        async def nothing() -> None:
            return None

        return nothing
    worker = WebhookWorker(db=state.db, settings=settings, clock=state.clock)
    task = asyncio.create_task(worker.run(), name="webhook-worker")
    doorbells = [asyncio.create_task(listen_for_outbox(state.broker), name="webhook-doorbell")]
    if state.db.notify_outbox:  # PostgreSQL without Redis: commits NOTIFY instead
        pg_listener = PgDoorbell(state.db).run()
        doorbells.append(asyncio.create_task(pg_listener, name="webhook-pg-doorbell"))
    logger.info("webhook worker %s started", worker.worker_id)

    async def stop() -> None:
        for doorbell in doorbells:
            doorbell.cancel()
        await asyncio.gather(*doorbells, return_exceptions=True)
        await worker.stop()
        try:
            await task
        finally:
            await worker.aclose()
            logger.info("webhook worker %s stopped", worker.worker_id)

    return stop


async def listen_for_outbox(broker: Any) -> None:
    """Wake this process's workers whenever another process commits owed deliveries."""
    while True:
        try:
            async with broker.subscribe(OUTBOX_CHANNEL, maxsize=16) as inbox:
                async for _ring in inbox:
                    outbox_wakeup.WAKEUP.notify()
        except SubscriberTooSlow:
            outbox_wakeup.WAKEUP.notify()  # rings were lost: look now, then listen again
