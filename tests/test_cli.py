"""The `parcelgraph` command: shops, keys (shown once, listed, revoked), migrate, schema
export and demo, run in-process against a temporary data directory."""

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from parcelgraph.app import create_app
from parcelgraph.cli import app
from parcelgraph.config import get_settings
from parcelgraph.schema.root import schema

SECRET = re.compile(r"(?<![\w-])pgk_[A-Za-z0-9_-]{43}(?![\w-])")


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner whose settings point at a fresh SQLite file in tmp_path."""
    monkeypatch.setenv("PARCELGRAPH_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PARCELGRAPH_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_migrate_creates_the_database(cli: CliRunner, tmp_path: Path) -> None:
    assert "database is up to date" in _ok(cli, "migrate")
    assert (tmp_path / "parcelgraph.db").exists()


def test_shop_create_and_duplicate(cli: CliRunner) -> None:
    assert "created shop acme (USD)" in _ok(cli, "shop", "create", "acme", "--currency", "usd")
    again = cli.invoke(app, ["shop", "create", "acme"])
    assert again.exit_code == 1
    assert "A shop 'acme' exists already." in again.output
    bad = cli.invoke(app, ["shop", "create", "Not A Slug"])
    assert bad.exit_code == 1
    assert "INVALID_INPUT" in bad.output


def test_key_create_list_revoke(cli: CliRunner) -> None:
    _ok(cli, "shop", "create", "acme")
    created = _ok(cli, "key", "create", "--shop", "acme", "--role", "editor", "--name", "erp")
    secrets = SECRET.findall(created)
    assert len(secrets) == 1
    key_id = re.search(r"key id:\s+(\S+)", created).group(1)  # type: ignore[union-attr]
    listed = _ok(cli, "key", "list", "--shop", "acme")
    assert key_id in listed and "erp" in listed and "EDITOR" in listed
    assert secrets[0] not in listed  # never shown again
    assert "revoked erp" in _ok(cli, "key", "revoke", key_id)
    row = next(line for line in _ok(cli, "key", "list").splitlines() if key_id in line)
    created_at, revoked_at = re.findall(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", row)
    assert revoked_at >= created_at


def test_key_for_unknown_shop_fails(cli: CliRunner) -> None:
    result = cli.invoke(app, ["key", "create", "--shop", "nope", "--role", "admin"])
    assert result.exit_code == 1
    assert "NOT_FOUND" in result.output


def test_platform_key(cli: CliRunner) -> None:
    out = _ok(cli, "key", "create", "--shop", "*", "--role", "viewer")
    assert "username: platform" in out
    assert len(SECRET.findall(out)) == 1


def test_export_schema_writes_the_printed_sdl(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "out.graphql"
    _ok(cli, "export-schema", "--output", str(target))
    assert target.read_text() == schema.as_str() + "\n"


def test_demo_prints_a_working_key_and_curl(cli: CliRunner) -> None:
    out = _ok(cli, "demo")
    secrets = set(SECRET.findall(out))
    assert len(secrets) == 1
    (secret,) = secrets
    assert f"password: {secret}" in out
    assert f"curl -s -u 'demo:{secret}'" in out
    assert "/v1/shops/demo/graphql" in out


def test_demo_run_again_reuses_its_key_and_prints_current_states(
    cli: CliRunner, tmp_path: Path
) -> None:
    (first,) = set(SECRET.findall(_ok(cli, "demo")))

    again = _ok(cli, "demo")

    assert set(SECRET.findall(again)) == {first}
    assert f"admin key (reused from {tmp_path / 'demo-demo-key.json'})" in again
    assert "revoked" not in again
    assert re.search(r"DEMO-1003\s+FULFILLED\s+1Z999AA10123456784 \(ups\): order_processed", again)
    assert re.search(r"DEMO-1005\s+CANCELLED\n", again)
    active = [
        line for line in _ok(cli, "key", "list", "--shop", "demo").splitlines() if "ADMIN" in line
    ]
    assert len(active) == 1


def test_demo_without_its_key_file_revokes_the_old_key_and_says_so(
    cli: CliRunner, tmp_path: Path
) -> None:
    first_out = _ok(cli, "demo")
    (first,) = set(SECRET.findall(first_out))
    key_file = tmp_path / "demo-demo-key.json"
    first_id = json.loads(key_file.read_text())["key_id"]
    key_file.unlink()

    again = _ok(cli, "demo")

    (second,) = set(SECRET.findall(again))
    assert second != first
    assert f"revoked the earlier demo key {first_id}" in again
    row = next(line for line in _ok(cli, "key", "list").splitlines() if first_id in line)
    assert len(re.findall(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", row)) == 2  # created, revoked
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


async def _open_as_customer(path: str, token: str) -> tuple[Any, Any, list[Any]]:
    """The tracking page, the order as its token sees it, and its product images."""
    api = create_app(get_settings())
    query = '{ order(orderNumber: "DEMO-1003") { orderNumber products { images { src } } } }'
    async with api.router.lifespan_context(api):
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
            page = await http.get(path)  # the token is in the fragment: never sent
            answer = await http.post(
                "/v1/shops/demo/graphql",
                json={"query": query},
                headers={"Authorization": f"Bearer {token}"},
            )
            order = answer.json()["data"]["order"]
            sources = [image["src"] for p in order["products"] for image in p["images"]]
            return page, order, [await http.get(src) for src in sources]


def test_demo_tracking_link_opens_the_order_with_images_served_locally(cli: CliRunner) -> None:
    out = _ok(cli, "demo")
    link = re.search(r"http://127.0.0.1:8000(/track/demo/DEMO-1003)#token=(pgt_\S+)", out)
    assert link is not None

    page, order, images = asyncio.run(_open_as_customer(link.group(1), link.group(2)))

    sources = [image["src"] for p in order["products"] for image in p["images"]]
    assert page.status_code == 200
    assert order["orderNumber"] == "DEMO-1003"
    assert sources == [
        "http://127.0.0.1:8000/demo-assets/mug.svg",
        "http://127.0.0.1:8000/demo-assets/towel.svg",
    ]
    assert [(i.status_code, i.headers["content-type"]) for i in images] == [
        (200, "image/svg+xml"),
        (200, "image/svg+xml"),
    ]
    assert all(i.content.startswith(b"<svg ") for i in images)


def test_demo_shop_is_a_sandbox_shop(cli: CliRunner) -> None:
    _ok(cli, "demo")
    _ok(cli, "shop", "create", "real")
    out = _ok(cli, "demo", "--slug", "real")
    assert "real is not a sandbox shop" in out


def test_carrier_credentials_need_a_key_then_are_stored(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parcelgraph.tracking import service

    monkeypatch.setattr(service, "adapter_requirements", lambda: {"acmepost": ("api_key",)})
    _ok(cli, "shop", "create", "acme")
    refused = cli.invoke(app, ["carrier", "set-credentials", "acmepost", "--shop", "acme",
                               "--api-key", "secret-1234"])  # fmt: skip
    assert refused.exit_code == 1
    assert "CREDENTIALS_KEYS_MISSING" in refused.output
    key = _ok(cli, "carrier", "new-key").strip()
    monkeypatch.setenv("PARCELGRAPH_CARRIER_CREDENTIALS_KEYS", key)
    get_settings.cache_clear()
    out = _ok(cli, "carrier", "set-credentials", "acmepost", "--shop", "acme",
              "--api-key", "secret-1234")  # fmt: skip
    assert "stored acmepost credentials for acme (…1234)" in out
    assert "re-encrypted 1 credentials" in _ok(cli, "carrier", "rotate-credentials")
    assert "deleted" in _ok(cli, "carrier", "delete-credentials", "acmepost", "--shop", "acme")
