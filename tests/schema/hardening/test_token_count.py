"""The cheap token scanner agrees with graphql-core's parser: the same count on real
documents, and an oversized document refused with the parser's own error at the same
position."""

import pytest
from graphql import GraphQLSyntaxError, parse

from parcelgraph.schema.hardening.token_count import overflow_position
from scripts.bench.attack import attack_document
from tests.schema.orders.test_compiled_reads import suite_documents

MIXED = '''# a comment, with "quotes" and { braces }
query Q($n: String! = "A-1", $f: Float = -1.5e3) {
  order(orderNumber: $n) @include(if: true) { ...F id, number: orderNumber }
  detectCarrier(trackingNumber: """block "quoted" \\""" text""") { candidates { code } }
}
fragment F on Order { state }
'''


def parser_error(document: str, limit: int) -> GraphQLSyntaxError | None:
    try:
        parse(document, max_tokens=limit)
    except GraphQLSyntaxError as error:
        return error
    return None


def parser_count(document: str) -> int:
    """The smallest max_tokens the parser accepts the document with (by bisection)."""
    low, high = 0, len(document)
    while low < high:
        middle = (low + high) // 2
        if parser_error(document, middle) is None:
            high = middle
        else:
            low = middle + 1
    return low


@pytest.mark.parametrize(
    ("document", "limit"),
    [(MIXED, 0), (MIXED, 1), (MIXED, 7), (MIXED, 40), (MIXED, 55), (MIXED * 30, 1000)],
)
def test_the_scanner_stops_where_the_parser_does(document: str, limit: int) -> None:
    error = parser_error(document, limit)
    position = overflow_position(document, limit)
    assert (None if error is None else error.positions) == (
        None if position is None else [position]
    )


def test_every_read_document_of_the_suite_is_counted_like_the_parser() -> None:
    documents = suite_documents()
    assert len(documents) > 20
    for document in documents:
        tokens = parser_count(document)
        assert overflow_position(document, tokens) is None, document
        assert overflow_position(document, tokens - 1) is not None, document


def test_the_aliased_attack_is_refused_at_the_parsers_position() -> None:
    document = attack_document()
    error = parser_error(document, 5000)
    assert error is not None
    assert error.positions == [overflow_position(document, 5000)]
