"""Schema extensions: cached parsing/validation and error masking with a reference id.

Extensions are passed as classes or factories, never instances, so no state leaks between
concurrent requests.
"""

import logging
import uuid
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaskErrors, ValidationCache

from parcelgraph import request_context
from parcelgraph.domain.errors import Rejected
from parcelgraph.schema.common.observed import OperationMetrics
from parcelgraph.schema.hardening import Hardening, is_variable_error
from parcelgraph.schema.hardening.credentials import RecheckCredentials
from parcelgraph.schema.hardening.parsing import CodedParserCache

logger = logging.getLogger("parcelgraph.errors")

CACHE_SIZE = 1024


class PublicError(Exception):
    """An error whose message is safe to show clients; `code` goes to extensions."""

    def __init__(self, message: str, code: str, **extensions: Any) -> None:
        super().__init__(message)
        self.extensions = {"code": code, **extensions}


def is_expected(error: GraphQLError) -> bool:
    """Syntax/validation errors, variable coercion errors (the client's value does not fit
    its type: nothing ran), permission refusals and coded errors are shown as they are."""
    original = error.original_error
    if original is None:
        return True
    if isinstance(original, (PublicError, Rejected)) or is_variable_error(error):
        return True
    return bool(error.extensions and "code" in error.extensions)


class MaskUnexpectedErrors(MaskErrors):
    """Replace unexpected errors by a generic one carrying a reference that is also logged.

    This is the only place unexpected errors are logged (Schema.process_errors is silenced),
    so each appears in the log exactly once, with its trace and the client's reference.
    """

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda error: not is_expected(error))

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        # The request id when there is one, so the client's reference finds the log lines.
        reference = request_context.current() or uuid.uuid4().hex[:16]
        original = error.original_error
        logger.error(
            "unexpected error (reference %s) at %s",
            reference,
            ".".join(str(p) for p in error.path or ()),
            exc_info=(type(original), original, original.__traceback__) if original else None,
        )
        return GraphQLError(
            message=f"Unexpected error. Reference: {reference}.",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions={"code": "INTERNAL_SERVER_ERROR", "reference": reference},
        )


def default_extensions() -> list[Any]:
    """The extension list of the production schema, in order."""
    return [
        OperationMetrics,  # first: its exit runs last, so it counts errors as clients see them
        lambda: CodedParserCache(maxsize=CACHE_SIZE),
        lambda: ValidationCache(maxsize=CACHE_SIZE),
        MaskUnexpectedErrors,
        RecheckCredentials,  # a revoked WebSocket credential runs nothing, not even a charge
        Hardening,  # last: its clean-up of errors runs before masking (exits unwind)
    ]
