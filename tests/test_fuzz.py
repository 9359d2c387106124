"""Fuzzing: schemathesis generates operations from the introspected schema (valid documents
with random arguments, every query and mutation), plus garbage documents and bodies, sent to
the app with an editor key. Never a 500, always a well-formed GraphQL response.

Bounded in examples and in time (derandomized, so CI is reproducible); SQLite only, as the
point is the HTTP and GraphQL layers, not the database.
"""

import json
import time
from typing import Any

import pytest
import schemathesis
from graphql import get_introspection_query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from tests.support import issue_key_sync

MAX_EXAMPLES = 300
TIME_BUDGET_SECONDS = 30.0
PATH = "/v1/shops/fuzz/graphql"
TOP_LEVEL = {"data", "errors", "extensions"}

pytestmark = pytest.mark.slow


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    # The clock is frozen, so the bucket never refills: give it room for the whole run.
    return {"rate_limit_capacity": 10_000_000}


def assert_graphql_response(status: int, body: Any) -> None:
    """The GraphQL response format: an object of data/errors/extensions, errors well-formed."""
    assert status < 500, body
    assert isinstance(body, dict) and body, body
    assert set(body) <= TOP_LEVEL, body
    assert "data" in body or "errors" in body, body
    if status == 200:
        assert "data" in body, body
    for error in body.get("errors", []):
        assert isinstance(error, dict) and isinstance(error.get("message"), str), body
        assert set(error) <= {"message", "locations", "path", "extensions"}, body
        if "extensions" in error:
            assert isinstance(error["extensions"], dict), body
        assert error.get("extensions", {}).get("code") != "INTERNAL_SERVER_ERROR", body


@pytest.mark.parametrize("backend", ["sqlite"])
def test_fuzz_the_schema(app, database_url: str) -> None:  # type: ignore[no-untyped-def]
    authorization = issue_key_sync(database_url, "fuzz", "EDITOR")
    headers = {"Authorization": authorization}
    started = time.monotonic()
    seen: dict[str, int] = {}
    with TestClient(app) as client:
        introspection = client.post(
            PATH, json={"query": get_introspection_query()}, headers=headers
        ).json()["data"]
        schema = schemathesis.graphql.from_dict(introspection)
        operations = [result.ok() for result in schema.get_all_operations()]
        labels = {operation.label.split(".")[0] for operation in operations}
        generated = st.one_of(*(operation.as_strategy() for operation in operations))
        garbage = st.one_of(
            st.text(max_size=200),
            st.text(alphabet="{}()[]:$@!.,=\"' \nabcfirstlastnodeid0123456789", max_size=200),
        )

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(
            case=st.one_of(generated.map(lambda c: c.body), garbage),
            method=st.sampled_from(["POST", "POST", "GET"]),
        )
        def run(case: str, method: str) -> None:
            if time.monotonic() - started > TIME_BUDGET_SECONDS:
                return
            if method == "GET":
                response = client.get(PATH, params={"query": case}, headers=headers)
            else:
                response = client.post(PATH, json={"query": case}, headers=headers)
            seen[str(response.status_code)] = seen.get(str(response.status_code), 0) + 1
            assert_graphql_response(response.status_code, json.loads(response.content))

        run()

    assert {"Query", "Mutation"} <= labels
    assert sum(seen.values()) >= 50, seen  # the time budget still left a real run


@pytest.mark.parametrize("backend", ["sqlite"])
def test_fuzz_the_transport(app, database_url: str) -> None:  # type: ignore[no-untyped-def]
    authorization = issue_key_sync(database_url, "fuzz", "EDITOR")
    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner),
        max_leaves=10,
    )
    bodies = st.one_of(
        json_values.map(lambda v: json.dumps(v).encode()),
        st.fixed_dictionaries(
            {},
            optional={
                "query": st.text(max_size=50) | json_values,
                "variables": json_values,
                "operationName": json_values,
                "extensions": json_values,
            },
        ).map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=100),
    )
    with TestClient(app) as client:

        @settings(
            max_examples=150,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(
            body=bodies,
            content_type=st.sampled_from(["application/json", "text/plain", ""]),
        )
        def run(body: bytes, content_type: str) -> None:
            response = client.post(
                PATH,
                content=body,
                headers={"Authorization": authorization, "Content-Type": content_type},
            )
            assert_graphql_response(response.status_code, json.loads(response.content))

        run()
