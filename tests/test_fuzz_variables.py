"""Fuzzing through variables: every root query and mutation field is called with each of its
arguments passed as a variable of the argument's own type, holding hostile JSON: null, wrong
types, huge numbers, lone surrogates, NUL characters, nested junk. On SQLite and PostgreSQL:
never a 5xx, never INTERNAL_SERVER_ERROR, and every error carries a code.

Bounded in examples and time (derandomized, so CI is reproducible).
"""

import json
import time
from typing import Any

import pytest
from graphql import GraphQLObjectType, get_named_type, is_leaf_type
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from parcelgraph.schema.root import schema
from tests.support import issue_key_sync
from tests.test_fuzz import PATH, assert_graphql_response

MAX_EXAMPLES = 200
TIME_BUDGET_SECONDS = 40.0

pytestmark = pytest.mark.slow

HOSTILE = st.recursive(
    st.sampled_from(
        [None, "", "abc", "\ud800", "\udc00x", "a\x00b", "\x00", 0, -1, 2**31, -(2**31) - 1,
         2**63, 10**30, 1.5, True, "not-a-date", "2026-13-45T99:00:00Z", "9" * 400,
         "T3JkZXI6bm9wZQ==", "U2hvcDox", "00000000-0000-0000-0000-000000000000"]
    ),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(
        st.sampled_from(["id", "orderNumber", "zipCode", "name", "\x00", "\ud800", "x"]), inner,
        max_size=3,
    ),
    max_leaves=6,
)  # fmt: skip


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"rate_limit_capacity": 10_000_000}


def calls() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(operation kind, field name, [(argument, its type)]) of every root query and mutation."""
    found = []
    graphql_schema = schema._schema
    for kind, root in (
        ("query", graphql_schema.query_type),
        ("mutation", graphql_schema.mutation_type),
    ):
        assert isinstance(root, GraphQLObjectType)
        for name, field in root.fields.items():
            found.append((kind, name, [(arg, str(a.type)) for arg, a in field.args.items()]))
    return found


def document(kind: str, name: str, args: list[tuple[str, str]]) -> str:
    field = schema._schema.get_type("Query" if kind == "query" else "Mutation").fields[name]
    selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
    if not args:
        return f"{kind} {{ {name}{selection} }}"
    declared = ", ".join(f"${arg}: {type_}" for arg, type_ in args)
    passed = ", ".join(f"{arg}: ${arg}" for arg, _ in args)
    return f"{kind}({declared}) {{ {name}({passed}){selection} }}"


def test_every_operation_with_hostile_variables(app, database_url: str) -> None:  # type: ignore[no-untyped-def]
    authorization = issue_key_sync(database_url, "fuzz", "EDITOR")
    started = time.monotonic()
    seen: dict[str, int] = {}
    every = calls()
    with TestClient(app) as client:

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(call=st.sampled_from(every), data=st.data())
        def run(call: tuple[str, str, list[tuple[str, str]]], data: Any) -> None:
            if time.monotonic() - started > TIME_BUDGET_SECONDS:
                return
            kind, name, args = call
            variables = {arg: data.draw(HOSTILE) for arg, _ in args}
            body = json.dumps({"query": document(kind, name, args), "variables": variables})
            response = client.post(
                PATH,
                content=body.encode(),
                headers={"Authorization": authorization, "Content-Type": "application/json"},
            )
            seen[name] = seen.get(name, 0) + 1
            answer = json.loads(response.content)
            assert_graphql_response(response.status_code, answer)
            for error in answer.get("errors", []):
                assert error.get("extensions", {}).get("code"), answer

        run()

    assert sum(seen.values()) >= 50, seen  # the time budget still left a real run
