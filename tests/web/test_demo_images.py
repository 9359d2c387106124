"""The demo shop's product images, served by the app (the tracking page needs no internet)."""

import httpx
import pytest

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.mark.parametrize("name", ["mug.svg", "towel.svg"])
async def test_each_image_is_an_svg_that_may_not_run_scripts(
    http: httpx.AsyncClient, name: str
) -> None:
    response = await http.get(f"/demo-assets/{name}")

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["content-security-policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'"
    )
    assert response.text.startswith('<svg xmlns="http://www.w3.org/2000/svg"')


@pytest.mark.parametrize("name", ["mug.png", "..%2Fgraphiql%2Fide.js", "index.html"])
async def test_anything_else_is_not_found(http: httpx.AsyncClient, name: str) -> None:
    response = await http.get(f"/demo-assets/{name}")

    assert response.status_code == 404
