"""Mechanisms every area of the core shares.

The event log (sequence, position, outbox rows) and webhook envelopes, the outbox wake-up,
keyset paging, the loader registry, idempotency keys, scoped reads by id or key, and
revoking a credential. Nothing here imports an area.
"""
