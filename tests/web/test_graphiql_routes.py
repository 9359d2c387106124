"""GraphiQL's HTTP side: the page at the GraphQL URL, its vendored assets, its policy."""

import hashlib
import json

import httpx
import pytest

from parcelgraph.web.graphiql import VENDOR
from tests.support import Caller

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

HTML = {"Accept": "text/html"}
VENDORED = json.loads((VENDOR / "VENDORED.json").read_text())


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"graphql_ide": True}


async def test_a_browser_visit_gets_the_page_with_a_strict_policy(
    http: httpx.AsyncClient, shop: Caller
) -> None:
    response = await http.get("/v1/shops/acme/graphql", headers=HTML)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert '<script defer src="/graphiql-assets/graphiql.min.js"></script>' in response.text
    assert response.headers["content-security-policy"] == (
        "default-src 'none'; script-src 'self'; style-src 'self'; font-src data:; "
        "img-src 'self' data:; connect-src 'self' ws://test wss://test; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


async def test_login_asks_the_browser_for_the_key_then_serves_the_page(
    http: httpx.AsyncClient, shop: Caller
) -> None:
    challenged = await http.get("/v1/shops/acme/graphql?login", headers=HTML)
    signed_in = await http.get(
        "/v1/shops/acme/graphql?login", headers={**HTML, "Authorization": shop.authorization}
    )

    assert challenged.status_code == 401
    assert challenged.headers["www-authenticate"] == 'Basic realm="parcelgraph"'
    assert signed_in.status_code == 200
    assert "graphiql.min.js" in signed_in.text


async def test_a_wrong_key_at_login_is_challenged_again(
    http: httpx.AsyncClient, shop: Caller
) -> None:
    response = await http.get(
        "/v1/shops/acme/graphql?login", headers={**HTML, "Authorization": "Basic YTpi"}
    )

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="parcelgraph"'


@pytest.mark.parametrize("entry", VENDORED["files"], ids=lambda e: e["file"])
async def test_vendored_assets_are_served_unchanged(
    http: httpx.AsyncClient, entry: dict[str, str]
) -> None:
    response = await http.get(f"/graphiql-assets/{entry['file']}")

    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == entry["sha256"]
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("name", ["ide.html", "VENDORED.json", "..%2Fapp.js", "nope.js"])
async def test_anything_else_is_not_found(http: httpx.AsyncClient, name: str) -> None:
    response = await http.get(f"/graphiql-assets/{name}")

    assert response.status_code == 404


def test_every_vendored_file_has_its_license_beside_it(backend: str) -> None:
    for entry in VENDORED["files"]:
        assert (VENDOR / entry["license_file"]).read_text().startswith("MIT License")
