"""The parser hook: a cached parse whose syntax errors carry a code, and the token limit
checked by a cheap scan before the parser runs."""

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError, Source
from strawberry.extensions import ParserCache

from parcelgraph.schema.hardening.token_count import overflow_position

TOKENS_MESSAGE = "tokens. Parsing aborted"
# Set on the execution context by the hardening extension when the caller's budget is
# empty; the parser hook raises it instead of parsing.
EARLY_REFUSAL = "_parcelgraph_early_refusal"


class CodedParserCache(ParserCache):
    """strawberry's ParserCache, with a code on syntax errors (MAX_TOKENS_EXCEEDED or
    GRAPHQL_PARSE_FAILED). It parses in its hook, before any other extension could look at
    the error, so the code is added here."""

    def on_parse(self) -> Iterator[None]:
        ec = self.execution_context
        try:
            early = getattr(ec, EARLY_REFUSAL, None)
            if early is not None:
                raise early
            _refuse_unparsed_if_too_long(ec.query, ec.parse_options.get("max_tokens"))
            ec.graphql_document = self.cached_parse_document(ec.query, **ec.parse_options)
        except GraphQLSyntaxError as error:
            limit = ec.parse_options.get("max_tokens")
            extensions: dict[str, Any] = {"code": "GRAPHQL_PARSE_FAILED"}
            if limit is not None and TOKENS_MESSAGE in error.message:
                extensions = {"code": "MAX_TOKENS_EXCEEDED", "limit": limit}
            raise GraphQLError(
                error.message,
                source=error.source,
                positions=error.positions,
                extensions=extensions,
            ) from None
        yield


def _refuse_unparsed_if_too_long(query: str | None, limit: int | None) -> None:
    """The parser's MAX_TOKENS error, found by the cheap scanner before the parser runs."""
    if query is None or limit is None:
        return
    position = overflow_position(query, limit)
    if position is not None:
        message = f"Document contains more than {limit} tokens. Parsing aborted."
        raise GraphQLSyntaxError(Source(query), position, message)
