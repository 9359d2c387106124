"""Tool failures in the shape of GraphQL errors: the same machine codes and field paths.

A use case's `Rejected` keeps its issues' codes and camelCase paths (the tool arguments use
the GraphQL input's field names, so a path points at what the agent sent). A pydantic
validation error of the tool arguments is mapped by `resolvers.common.inputs.issues_of`, the
one mapping every face shares.
"""

import json
import logging
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import mcp.types as types

from parcelgraph.domain.errors import Issue, Rejected

logger = logging.getLogger(__name__)


class ToolFailure(Exception):
    """A refused tool call: a list of GraphQL-shaped error entries."""

    def __init__(self, errors: Sequence[dict[str, Any]]) -> None:
        super().__init__("; ".join(str(e.get("message")) for e in errors))
        self.errors = list(errors)

    @classmethod
    def one(cls, message: str, code: str, **extensions: Any) -> "ToolFailure":
        """A failure with a single coded error and no field."""
        return cls([{"message": message, "code": code, "field": None, **extensions}])


def issue_entry(issue: Issue, prefix: Iterable[str | int] = ()) -> dict[str, Any]:
    """One use-case issue as a UserError-shaped entry (field path as strings, or None)."""
    path = [str(p) for p in (*prefix, *issue.field)]
    return {"message": issue.message, "code": issue.code, "field": path or None}


def from_rejected(rejected: Rejected) -> ToolFailure:
    """Every issue of a rejection, as GraphQL's `errors: [UserError!]!` reports them."""
    return ToolFailure([issue_entry(issue) for issue in rejected.issues])


def from_graphql(errors: Sequence[dict[str, Any]]) -> ToolFailure:
    """GraphQL top-level errors (FORBIDDEN, MAX_COST_EXCEEDED, THROTTLED, ...) as tool errors."""
    entries = []
    for error in errors:
        extensions = dict(error.get("extensions") or {})
        code = extensions.pop("code", "INTERNAL_SERVER_ERROR")
        entry = {"message": error.get("message"), "code": code, "field": None}
        if error.get("path"):
            entry["path"] = error["path"]
        entries.append({**entry, **extensions})
    return ToolFailure(entries)


def masked(error: Exception, tool: str) -> ToolFailure:
    """An unexpected error, logged once with its trace; the caller sees only a reference
    (the same shape GraphQL gives unexpected errors)."""
    reference = uuid.uuid4().hex[:16]
    logger.error("unexpected error (reference %s) in tool %s", reference, tool, exc_info=error)
    return ToolFailure.one(
        f"Unexpected error. Reference: {reference}.", "INTERNAL_SERVER_ERROR", reference=reference
    )


def success(payload: dict[str, Any]) -> types.CallToolResult:
    """A tool result: the JSON as text (for any client) and as structured content."""
    text = json.dumps(payload, default=str, ensure_ascii=False)
    return types.CallToolResult(
        content=[types.TextContent(text=text)], structured_content=payload, is_error=False
    )


def failure(error: ToolFailure) -> types.CallToolResult:
    """A refused call: `isError` with the coded errors, so the model can correct itself."""
    payload = {"errors": error.errors}
    text = json.dumps(payload, default=str, ensure_ascii=False)
    return types.CallToolResult(
        content=[types.TextContent(text=text)], structured_content=payload, is_error=True
    )
