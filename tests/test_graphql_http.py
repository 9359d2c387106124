"""GraphQL over HTTP: media types, status codes, JSON errors, persisted queries over GET/POST."""

import hashlib
import json
import uuid

import httpx
import pytest

from tests.support import Caller

GRAPHQL_RESPONSE = "application/graphql-response+json"


def sha256(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


async def send(caller: Caller, method: str = "POST", **kwargs: object) -> httpx.Response:
    headers = {"Authorization": caller.authorization or ""}
    headers.update(kwargs.pop("headers", {}))  # type: ignore[arg-type]
    return await caller.http.request(method, caller.path, headers=headers, **kwargs)  # type: ignore[arg-type]


async def test_every_response_carries_the_cost(editor: Caller) -> None:
    body = await editor.execute("{ shop { name } }")

    assert body == {
        "data": {"shop": {"name": "acme"}},
        "extensions": {
            "cost": {
                "requestedQueryCost": 1,
                "actualQueryCost": 1,
                "throttleStatus": {
                    "maximumAvailable": 2000,
                    "currentlyAvailable": 1999,
                    "restoreRate": 100.0,
                },
            }
        },
    }


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "application/json"),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", "application/json"),
    ],
)
async def test_accept_negotiation(editor: Caller, accept: str | None, media_type: str) -> None:
    headers = {"Accept": accept} if accept else {}

    response = await send(editor, json={"query": "{ shop { name } }"}, headers=headers)

    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.json()["data"] == {"shop": {"name": "acme"}}


@pytest.mark.parametrize(
    ("query", "code"),
    [("{ shop { name ", "GRAPHQL_PARSE_FAILED"), ("{ shop { nam } }", "GRAPHQL_VALIDATION_FAILED")],
)
async def test_request_errors_are_400_without_data_in_graphql_response_json(
    editor: Caller, query: str, code: str
) -> None:
    modern = await send(editor, json={"query": query}, headers={"Accept": GRAPHQL_RESPONSE})
    legacy = await send(editor, json={"query": query}, headers={"Accept": "application/json"})

    assert modern.status_code == 400
    assert "data" not in modern.json()
    assert modern.json()["errors"][0]["extensions"]["code"] == code
    assert legacy.status_code == 200  # application/json keeps 200, as the spec asks
    assert legacy.json()["data"] is None


async def test_a_field_error_stays_200_with_data(editor: Caller) -> None:
    response = await send(
        editor,
        json={"query": '{ order(id: "bogus") { id } }'},
        headers={"Accept": GRAPHQL_RESPONSE},
    )

    assert response.status_code == 200
    assert "data" in response.json()


async def test_variables_that_do_not_coerce_are_a_request_error(editor: Caller) -> None:
    query = "query($n: Int) { orders(first: $n) { pageInfo { hasNextPage } } }"

    response = await send(
        editor,
        json={"query": query, "variables": {"n": "many"}},
        headers={"Accept": GRAPHQL_RESPONSE},
    )

    assert response.status_code == 400
    assert "data" not in response.json()


async def test_queries_work_over_get(editor: Caller) -> None:
    response = await send(editor, "GET", params={"query": "{ shop { slug } }"})

    assert response.status_code == 200
    assert response.json()["data"] == {"shop": {"slug": "acme"}}


async def test_a_mutation_over_get_is_405(editor: Caller) -> None:
    query = 'mutation { cancelOrder(input: {id: "x"}) { errors { code } } }'

    response = await send(editor, "GET", params={"query": query})

    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.json() == {
        "errors": [
            {
                "message": "Mutations are not allowed over GET: use POST.",
                "extensions": {"code": "METHOD_NOT_ALLOWED"},
            }
        ]
    }


@pytest.mark.parametrize(
    ("content", "content_type", "status", "code"),
    [
        (b"{not json", "application/json", 400, "INVALID_JSON"),
        (b'"just a string"', "application/json", 400, "BAD_REQUEST"),
        (b"42", "application/json", 400, "BAD_REQUEST"),
        (b"null", "application/json", 400, "BAD_REQUEST"),
        (b"[]", "application/json", 400, "BAD_REQUEST"),
        (b"{}", "application/json", 400, "MISSING_QUERY"),
        (b'{"query": 1}', "application/json", 400, "BAD_REQUEST"),
        (
            b'{"query": "{ shop { name } }", "variables": []}',
            "application/json",
            400,
            "BAD_REQUEST",
        ),
        (
            b'{"query": "{ shop { name } }", "operationName": 3}',
            "application/json",
            400,
            "BAD_REQUEST",
        ),
        (b"{ shop { name } }", "application/graphql", 415, "UNSUPPORTED_MEDIA_TYPE"),
        (b'{"query": "{ shop { name } }"}', "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE"),
        (b'{"query": "{ shop { name } }"}', "", 415, "UNSUPPORTED_MEDIA_TYPE"),
    ],
)
async def test_malformed_requests_get_json_errors(
    editor: Caller, content: bytes, content_type: str, status: int, code: str
) -> None:
    response = await send(editor, content=content, headers={"Content-Type": content_type})

    assert response.status_code == status
    body = response.json()
    assert body["errors"][0]["extensions"] == {"code": code}
    assert "data" not in body


async def test_an_unknown_operation_name_is_a_json_400(editor: Caller) -> None:
    response = await send(editor, json={"query": "query A { shop { name } }", "operationName": "B"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"] == {"code": "BAD_REQUEST"}


# --- automatic persisted queries -------------------------------------------------------------

QUERY = "{ shop { currency } }"


def persisted(query: str) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256(query)}}


async def test_apq_round_trip_over_post_then_get(editor: Caller) -> None:
    query = QUERY + f" # {uuid.uuid4()}"  # the store is per process: a document never sent
    unknown = await send(editor, json={"extensions": persisted(query)})
    registered = await send(editor, json={"query": query, "extensions": persisted(query)})
    by_hash = await send(editor, "GET", params={"extensions": json.dumps(persisted(query))})

    assert unknown.status_code == 200
    assert unknown.json()["errors"] == [
        {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
    ]
    assert registered.json()["data"] == {"shop": {"currency": "EUR"}}
    assert by_hash.status_code == 200
    assert by_hash.json()["data"] == {"shop": {"currency": "EUR"}}


async def test_apq_registration_over_get(editor: Caller) -> None:
    query = QUERY + f" # {uuid.uuid4()}"
    params = {"query": query, "extensions": json.dumps(persisted(query))}

    first = await send(editor, "GET", params=params)
    second = await send(editor, "GET", params={"extensions": json.dumps(persisted(query))})

    assert first.json()["data"] == second.json()["data"] == {"shop": {"currency": "EUR"}}


async def test_apq_hash_mismatch_and_malformed_extension(editor: Caller) -> None:
    wrong = {"persistedQuery": {"version": 1, "sha256Hash": sha256("{ shop { name } }")}}
    malformed = {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}

    mismatch = await send(editor, json={"query": QUERY, "extensions": wrong})
    bad = await send(editor, json={"extensions": malformed})

    assert mismatch.json()["errors"][0]["extensions"] == {"code": "PERSISTED_QUERY_HASH_MISMATCH"}
    assert bad.json()["errors"][0]["extensions"] == {"code": "PERSISTED_QUERY_INVALID"}


async def test_an_invalid_document_is_not_registered(editor: Caller) -> None:
    query = "{ shop { nope } }"

    await send(editor, json={"query": query, "extensions": persisted(query)})
    again = await send(editor, json={"extensions": persisted(query)})

    assert again.json()["errors"][0]["extensions"] == {"code": "PERSISTED_QUERY_NOT_FOUND"}


async def test_a_persisted_mutation_over_get_is_405(editor: Caller) -> None:
    query = 'mutation { cancelOrder(input: {id: "x"}) { errors { code } } }'
    await send(editor, json={"query": query, "extensions": persisted(query)})

    response = await send(editor, "GET", params={"extensions": json.dumps(persisted(query))})

    assert response.status_code == 405
