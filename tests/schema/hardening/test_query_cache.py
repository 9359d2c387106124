"""Parsed and validated documents are cached per query string: the same
document sent again is neither re-parsed nor re-validated.

Evidence is the hit/miss counters of the LRU caches behind strawberry's ParserCache and
ValidationCache (module-level, keyed by maxsize; strawberry internals, pinned version), so
the test is about counts, not time. A validation rule rebuilt per request (a factory-made
depth or alias limiter) changes the cache key and turns every request into a miss.
"""

import uuid

from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import _get_validate_cache

from parcelgraph.schema.hardening.extensions import CACHE_SIZE


async def test_same_document_is_parsed_and_validated_once(shop, factory) -> None:
    # given a document no other test sends (the caches are process-wide, and the validation
    # cache keys on the parsed document, so the unique part must be in it, not a comment)
    alias = f"o_{uuid.uuid4().hex}"
    query = f"{{ {alias}: orders(first: 1) {{ edges {{ node {{ orderNumber }} }} }} }}"
    parse = _get_parse_cache(CACHE_SIZE)
    validate = _get_validate_cache(CACHE_SIZE)
    parse_before, validate_before = parse.cache_info(), validate.cache_info()

    # when it is sent three times
    for _ in range(3):
        await shop.data(query)

    # then it was parsed and validated once, and served from the caches twice
    parse_after, validate_after = parse.cache_info(), validate.cache_info()
    assert parse_after.misses - parse_before.misses == 1
    assert parse_after.hits - parse_before.hits == 2
    assert validate_after.misses - validate_before.misses == 1
    assert validate_after.hits - validate_before.hits == 2
