"""Mechanisms every area of the core shares.

The event log (sequence, position, outbox rows) and webhook envelopes, the outbox wake-up,
keyset paging, the loader registry, idempotency keys, and scoped reads by id. Nothing here
imports an area.
"""
