"""Every limit refuses with its own code, before any resolver runs (no SQL beyond auth)."""

import pytest

from tests.support import Caller, count_statements


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {
        "max_query_depth": 4,
        "max_aliases": 3,
        "max_tokens": 60,
        "max_query_cost": 50,
        "max_list_input_items": 5,
        "max_body_bytes": 4000,
    }


async def refused(caller: Caller, db, query: str, variables: dict | None = None) -> dict:  # type: ignore[no-untyped-def]
    """The single error of a refused request, checking nothing but auth touched the DB."""
    with count_statements(db) as baseline:
        await caller.data("{ __typename }")
    with count_statements(db) as counter:
        response = await caller.post(query, variables)
    body = response.json()
    assert response.status_code == 200, body
    assert body["data"] is None
    assert counter.count == baseline.count, counter.statements  # the API key lookup only
    [error] = body["errors"]
    return error


DEEP = "{ orders { edges { node { events { edges { node { id } } } } } } }"


async def test_depth(editor: Caller, db) -> None:  # type: ignore[no-untyped-def]
    error = await refused(editor, db, DEEP)

    assert error["extensions"] == {"code": "MAX_DEPTH_EXCEEDED", "depth": 7, "limit": 4}


async def test_depth_counts_through_fragments(editor: Caller, db) -> None:  # type: ignore[no-untyped-def]
    query = "{ ...F } fragment F on Query { orders { edges { node { ...G } } } } " + (
        "fragment G on Order { events { edges { node { id } } } }"
    )

    error = await refused(editor, db, query)

    assert error["extensions"] == {"code": "MAX_DEPTH_EXCEEDED", "depth": 7, "limit": 4}


async def test_aliases_count_fragments_where_spread(editor: Caller, db) -> None:  # type: ignore[no-untyped-def]
    # F holds 2 aliases and is spread twice (once through G): 4 > 3.
    query = (
        "{ ...F ...G } fragment F on Query { a: shop { name } b: shop { name } } "
        "fragment G on Query { ...F }"
    )

    error = await refused(editor, db, query)

    assert error["extensions"] == {"code": "MAX_ALIASES_EXCEEDED", "aliases": 4, "limit": 3}


async def test_three_aliases_are_fine(editor: Caller) -> None:
    data = await editor.data("{ a: shop { name } b: shop { slug } c: viewer { name } }")

    assert data["a"] == {"name": "acme"}


async def test_tokens(editor: Caller, db) -> None:  # type: ignore[no-untyped-def]
    query = "{ shop { " + "name " * 60 + "} }"

    error = await refused(editor, db, query)

    assert error["extensions"] == {"code": "MAX_TOKENS_EXCEEDED", "limit": 60}


async def test_cost_in_validation(editor: Caller, db) -> None:  # type: ignore[no-untyped-def]
    error = await refused(editor, db, "{ orders(first: 30) { edges { node { id } } } }")

    assert error["extensions"] == {"code": "MAX_COST_EXCEEDED", "cost": 61, "limit": 50}


async def test_cost_with_variables_is_checked_once_they_are_known(editor: Caller, db) -> None:  # type: ignore[no-untyped-def]
    query = "query($n: Int) { orders(first: $n) { edges { node { id } } } }"

    error = await refused(editor, db, query, {"n": 25})
    fine = await editor.execute(query, {"n": 24})

    assert error["extensions"] == {"code": "MAX_COST_EXCEEDED", "cost": 51, "limit": 50}
    assert fine["extensions"]["cost"]["requestedQueryCost"] == 49


async def test_list_literal(editor: Caller, db) -> None:  # type: ignore[no-untyped-def]
    ids = ", ".join(f'"id{i}"' for i in range(6))

    error = await refused(editor, db, "{ nodes(ids: [" + ids + "]) { id } }")

    assert error["extensions"] == {"code": "MAX_LIST_SIZE_EXCEEDED", "size": 6, "limit": 5}


async def test_list_variable(editor: Caller, db) -> None:  # type: ignore[no-untyped-def]
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"

    error = await refused(editor, db, query, {"ids": [f"id{i}" for i in range(6)]})

    assert error["extensions"] == {"code": "MAX_LIST_SIZE_EXCEEDED", "size": 6, "limit": 5}


async def test_body_size(editor: Caller) -> None:
    query = "{ shop { name } }" + " " * 4000

    response = await editor.post(query)

    assert response.status_code == 413
    assert response.json() == {
        "errors": [
            {
                "message": "The request body is larger than 4000 bytes.",
                "extensions": {"code": "BODY_TOO_LARGE", "limit": 4000},
            }
        ]
    }


async def test_a_lying_content_length_is_refused_too(editor: Caller) -> None:
    headers = {"Authorization": editor.authorization or "", "Content-Type": "application/json"}

    response = await editor.http.post(
        editor.path,
        content=b'{"query": "{ shop { name } }"}',
        headers={**headers, "Content-Length": "x"},
    )

    assert response.status_code == 413


@pytest.mark.parametrize("argument", ["first", "last"])
async def test_page_size_above_100_is_refused_with_a_code(make_shop, argument: str) -> None:  # type: ignore[no-untyped-def]
    caller = await make_shop("wide")  # max page size 100 (the default)

    body = await caller.execute(f"{{ orders({argument}: 101) {{ pageInfo {{ hasNextPage }} }} }}")

    [error] = body["errors"]
    assert error["extensions"]["code"] == "VALUE_OUT_OF_RANGE"
    assert error["message"] == f"`{argument}` must be between 0 and 100."
