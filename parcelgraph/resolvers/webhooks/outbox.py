"""Draining the webhook outbox: claim due deliveries with a lease, then record what happened.

`claim_due` moves due deliveries to IN_FLIGHT with a lease (`claimed_until`) in one UPDATE.
On PostgreSQL the candidate rows are picked `FOR UPDATE SKIP LOCKED`, so several worker
processes claim disjoint batches without waiting on each other; SQLite's `BEGIN IMMEDIATE`
makes every claim a single serialized writer. A delivery whose lease expired (its worker
died) is due again: nothing is lost, at the price of a possible second send, which the
stable event id lets receivers de-duplicate. Only deliveries of ACTIVE webhooks are
claimed; those of an inactive webhook wait, and go out once it is reactivated.

`record` writes every attempt of a batch and the deliveries' next state in a fixed number
of statements: one INSERT, one executemany UPDATE, and at most four webhook UPDATEs.

`outbox_wakeup.WAKEUP` lets an in-process worker start within milliseconds of a commit that
owes deliveries, instead of at its next poll.

The two halves live in `claiming` and `attempts`; the worker reaches both through here.
"""

from parcelgraph.resolvers.webhooks.attempts import Finished, RetryPolicy, record
from parcelgraph.resolvers.webhooks.claiming import Claimed, claim_due

__all__ = ["Claimed", "Finished", "RetryPolicy", "claim_due", "record"]
