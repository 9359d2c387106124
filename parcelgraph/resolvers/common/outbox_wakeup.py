"""Waking in-process webhook workers the moment a commit owes new deliveries.

Whoever writes outbox rows bumps `session.info["outbox_written"]` (event_log, redelivery,
test pings). After that session commits, every worker of this process that registered a
waiter is woken, so the first attempt follows the commit within milliseconds rather than
at the next poll. A rollback forgets the count. Workers in other processes (a separate
`parcelgraph worker`) are rung through the broker: the commit's count stays in
`session.info["outbox_committed"]` for `pubsub.publish_committed` to announce.

Without Redis, on PostgreSQL, the transaction itself rings them: `pg_notify` on
`PG_CHANNEL` is sent inside the transaction that wrote the outbox rows, so PostgreSQL
delivers it exactly when (and only if) the rows commit. Workers LISTEN on that channel
(`webhooks.pg_doorbell`).
"""

import asyncio

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from parcelgraph.db import NOTIFY_OUTBOX

PG_CHANNEL = "parcelgraph_outbox"
_NOTIFY = text("SELECT pg_notify(:channel, '')").bindparams(channel=PG_CHANNEL)


class OutboxWakeup:
    """Wakes the workers of this process when a commit owed new deliveries."""

    def __init__(self) -> None:
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def register(self) -> asyncio.Event:
        """An event set on every notify; pass it back to `unregister` when done."""
        waiter = asyncio.Event()
        self._waiters.add((asyncio.get_running_loop(), waiter))
        return waiter

    def unregister(self, waiter: asyncio.Event) -> None:
        """Stop waking `waiter`."""
        self._waiters = {pair for pair in self._waiters if pair[1] is not waiter}

    def notify(self) -> None:
        """Wake every registered waiter (safe from any thread)."""
        for loop, waiter in list(self._waiters):
            try:
                loop.call_soon_threadsafe(waiter.set)
            except RuntimeError:  # its loop is closed: a worker that ended without unregistering
                self._waiters.discard((loop, waiter))


WAKEUP = OutboxWakeup()


@event.listens_for(Session, "before_commit")
def _notify_in_transaction(session: Session) -> None:
    # Still inside the transaction: the notification is delivered at COMMIT, never for a
    # rollback. One per transaction (PostgreSQL folds identical ones anyway).
    if session.info.get("outbox_written") and session.info.get(NOTIFY_OUTBOX):
        session.execute(_NOTIFY)


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session: Session) -> None:
    written = session.info.pop("outbox_written", 0)
    if written:
        WAKEUP.notify()
        # For the workers of other processes: `pubsub.publish_committed` announces it on
        # the broker's outbox channel once the caller publishes the commit's notices.
        session.info["outbox_committed"] = session.info.get("outbox_committed", 0) + written


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop("outbox_written", None)
