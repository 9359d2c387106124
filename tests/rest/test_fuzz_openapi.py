"""schemathesis against the committed OpenAPI document: generated requests for every REST
operation, sent to the app with an admin key of a shop holding one order. Never a 5xx;
every answer's status, content type and body match the document.

Bounded in examples and time and derandomized, so CI is reproducible; SQLite only, as the
point is the REST layer, not the database.
"""

import json
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.testclient import TestClient

from tests.rest.support import sw_upsert
from tests.rest.test_openapi import COMMITTED
from tests.support import issue_key_sync

EXAMPLES_PER_OPERATION = 40
TIME_BUDGET_SECONDS = 120.0
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

pytestmark = pytest.mark.slow


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    # The clock is frozen, so the bucket never refills: give it room for the whole run.
    return {"rate_limit_capacity": 10_000_000}


@pytest.mark.parametrize("backend", ["sqlite"])
def test_fuzz_the_rest_api(app, database_url: str) -> None:  # type: ignore[no-untyped-def]
    authorization = issue_key_sync(database_url, "fuzz", "ADMIN")
    schema = schemathesis.openapi.from_dict(json.loads(COMMITTED.read_text()))
    operations = [result.ok() for result in schema.get_all_operations()]
    started = time.monotonic()
    seen: dict[str, int] = {}
    with TestClient(app) as client:
        seeded = client.put(
            "/v1/shops/fuzz/orders", json=sw_upsert("1"), headers={"Authorization": authorization}
        )
        assert seeded.status_code == 200, seeded.text

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(data=st.data())
        def run(data, strategy) -> None:  # type: ignore[no-untyped-def]
            case = data.draw(strategy)
            if time.monotonic() - started > TIME_BUDGET_SECONDS:
                return
            case.path_parameters = {**(case.path_parameters or {}), "slug": "fuzz"}
            headers = {"Authorization": authorization}
            kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
            kwargs.pop("cookies", None)
            response = client.request(**kwargs)
            key = f"{case.method} {case.path} {response.status_code}"
            seen[key] = seen.get(key, 0) + 1
            case.validate_response(response, checks=CHECKS, headers=headers)

        for operation in operations:
            run(strategy=operation.as_strategy())

    operations_run = {key.rsplit(" ", 1)[0] for key in seen}
    assert len(operations_run) == len(operations) == 16, seen  # every operation got its turn
    assert any(key.endswith((" 200", " 201", " 204")) for key in seen), seen
