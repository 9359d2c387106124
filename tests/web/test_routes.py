"""The tracking page's HTTP routes: the page for both URLs, the assets, nothing else."""

import httpx
import pytest

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.mark.parametrize("path", ["/track/acme", "/track/acme/A%201001"])
async def test_both_addresses_serve_the_page_with_a_strict_policy(
    http: httpx.AsyncClient, path: str
) -> None:
    response = await http.get(path, params={"token": "pgt_x"})

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert '<script type="module" src="/track-assets/app.js">' in response.text
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "connect-src 'self' ws://test wss://test;" in policy
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("app.js", "text/javascript; charset=utf-8"), ("page.css", "text/css; charset=utf-8")],
)
async def test_assets_are_served_with_their_type(
    http: httpx.AsyncClient, name: str, content_type: str
) -> None:
    response = await http.get(f"/track-assets/{name}")

    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("name", ["index.html", "routes.py", "..%2F..%2Fconfig.py", "nope.js"])
async def test_anything_else_is_not_found(http: httpx.AsyncClient, name: str) -> None:
    response = await http.get(f"/track-assets/{name}")

    assert response.status_code == 404


async def test_the_page_loads_nothing_from_other_hosts(http: httpx.AsyncClient) -> None:
    page = (await http.get("/track/acme")).text
    scripts = [(await http.get(f"/track-assets/{n}")).text for n in ("app.js", "gqlws.js")]

    for text in (page, *scripts):
        assert "https://" not in text and "cdn" not in text.lower()
