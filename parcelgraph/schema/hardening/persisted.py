"""Automatic persisted queries (Apollo's protocol): a document is sent once, then its hash.

A client sends `extensions: {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}`:

- with the hash only: the stored document runs, or the answer is PERSISTED_QUERY_NOT_FOUND
  and the client sends the hash again with the full `query`;
- with the query and its hash: the hash is checked (PERSISTED_QUERY_HASH_MISMATCH if wrong),
  the document runs and, once it has passed validation, is stored.

This works over HTTP GET and POST (short, cacheable GETs for widgets) and SSE. Over
graphql-transport-ws strawberry does not pass the payload's `extensions` on, so WebSocket
clients send full documents.

Documents are stored by content hash, so one store can serve every shop: a hash reveals
nothing but a document the caller already knows. The store is an in-process LRU; several
server processes each learn a document on first use (one extra round trip per process).
"""

import hashlib
from collections import OrderedDict
from typing import Any

from parcelgraph.schema.hardening.limits import refusal


class PersistedQueryStore:
    """Documents by sha256 hex digest, least recently used evicted first."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self._documents: OrderedDict[str, str] = OrderedDict()

    def get(self, digest: str) -> str | None:
        document = self._documents.get(digest)
        if document is not None:
            self._documents.move_to_end(digest)
        return document

    def put(self, digest: str, document: str) -> None:
        self._documents[digest] = document
        self._documents.move_to_end(digest)
        while len(self._documents) > self.max_size:
            self._documents.popitem(last=False)


_stores: dict[int, PersistedQueryStore] = {}


def store_for(max_size: int) -> PersistedQueryStore:
    """The process's store (one per configured size, like strawberry's caches)."""
    store = _stores.get(max_size)
    if store is None:
        store = _stores[max_size] = PersistedQueryStore(max_size)
    return store


def sha256_hex(document: str) -> str:
    """The APQ hash of a document."""
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


MAX_STORED_CHARACTERS = 100_000  # larger documents run but are not kept


def resolve(
    query: str | None, extensions: Any, store: PersistedQueryStore
) -> tuple[str | None, str | None]:
    """The document to run, and the hash to register it under once it has validated.

    Registering only valid documents keeps junk out of the store.

    Raises a GraphQLError (PERSISTED_QUERY_NOT_FOUND, PERSISTED_QUERY_HASH_MISMATCH,
    PERSISTED_QUERY_INVALID) when the persisted-query extension cannot be honoured.
    """
    if not isinstance(extensions, dict) or "persistedQuery" not in extensions:
        return query, None
    persisted = extensions["persistedQuery"]
    digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    if (
        not isinstance(digest, str)
        or len(digest) != 64
        or not isinstance(persisted, dict)
        or persisted.get("version", 1) != 1
    ):
        raise refusal(
            "extensions.persistedQuery needs version 1 and a sha256Hash of 64 hex digits.",
            "PERSISTED_QUERY_INVALID",
        )
    digest = digest.lower()
    if query:
        if sha256_hex(query) != digest:
            raise refusal(
                "The sha256Hash does not match the query's SHA-256 digest.",
                "PERSISTED_QUERY_HASH_MISMATCH",
            )
        return query, (digest if len(query) <= MAX_STORED_CHARACTERS else None)
    document = store.get(digest)
    if document is None:
        raise refusal("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
    return document, None
