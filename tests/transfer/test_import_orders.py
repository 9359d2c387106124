"""`parcelgraph import orders`: JSON lines and CSV through the bulk use case, refusals with
their line numbers and codes, a dry run that writes nothing, and a resumable checkpoint."""

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcelgraph.cli import app
from parcelgraph.config import get_settings

ADDRESS = {"name": "Kim Doe", "addressLine1": "Torstr. 1", "zipCode": "10115",
           "city": "Berlin", "countryCode": "DE"}  # fmt: skip


def _upsert(number: str, **order: object) -> dict[str, object]:
    fields = {"orderNumber": number, "email": "kim@example.com", "address": ADDRESS, **order}
    return {"id": number, "order": fields}


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("PARCELGRAPH_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PARCELGRAPH_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()
    assert runner.invoke(app, ["shop", "create", "acme"]).exit_code == 0
    yield runner
    get_settings.cache_clear()


def _rows(tmp_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(tmp_path / "parcelgraph.db") as db:
        return db.execute(sql).fetchall()


@pytest.fixture
def orders_file(tmp_path: Path) -> Path:
    tracked = _upsert("A-1")
    tracked["trackings"] = [{"trackingNumber": "1Z999AA10123456784", "carrierReference": "ups"}]
    bad_zip = _upsert("A-2", address={**ADDRESS, "zipCode": "ABCDE"})
    lines = [json.dumps(tracked), json.dumps(bad_zip), '{"id": "A-3", oops', ""]
    path = tmp_path / "orders.jsonl"
    path.write_text("\n".join(lines))
    return path


def test_rows_are_imported_and_refusals_named_by_line_field_and_code(
    cli: CliRunner, orders_file: Path, tmp_path: Path
) -> None:
    result = cli.invoke(app, ["import", "orders", str(orders_file), "--shop", "acme"])

    assert result.exit_code == 1  # something was refused
    assert "imported 1, refused 2\n" in result.output
    assert "│ 2    │ order.address.zipCode │ ZIP_CODE_INVALID │" in result.output
    assert "│ 3    │ -                     │ INVALID_JSON     │" in result.output
    assert _rows(tmp_path, "SELECT order_number FROM orders") == [("A-1",)]
    assert _rows(tmp_path, "SELECT tracking_number, carrier_reference FROM shipments") == [
        ("1Z999AA10123456784", "ups")
    ]


def test_a_dry_run_reports_the_same_and_writes_nothing(
    cli: CliRunner, orders_file: Path, tmp_path: Path
) -> None:
    result = cli.invoke(app, ["import", "orders", str(orders_file), "--shop", "acme", "--dry-run"])

    assert result.exit_code == 1
    assert "would import 1, refused 2\n" in result.output
    assert "ZIP_CODE_INVALID" in result.output
    assert _rows(tmp_path, "SELECT count(*) FROM orders") == [(0,)]
    assert not (tmp_path / "orders.jsonl.progress").exists()


def test_a_second_run_skips_what_was_imported_and_retries_the_fixed_lines(
    cli: CliRunner, orders_file: Path, tmp_path: Path
) -> None:
    cli.invoke(app, ["import", "orders", str(orders_file), "--shop", "acme"])
    fixed = [json.dumps(_upsert("A-2")), json.dumps(_upsert("A-3"))]
    lines = orders_file.read_text().split("\n")
    orders_file.write_text("\n".join([lines[0], *fixed]))

    again = cli.invoke(app, ["import", "orders", str(orders_file), "--shop", "acme"])

    assert again.exit_code == 0, again.output
    assert "imported 2, refused 0, skipped 1 already imported\n" in again.output
    numbers = _rows(tmp_path, "SELECT order_number FROM orders ORDER BY order_number")
    assert numbers == [("A-1",), ("A-2",), ("A-3",)]


def test_csv_columns_are_dotted_paths_of_the_upsert_shape(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "id,order.orderNumber,order.email,order.address.name,order.address.addressLine1,"
        "order.address.zipCode,order.address.city,order.address.countryCode,"
        "order.expectedNumberOfShipments,trackings.0.trackingNumber,trackings.0.carrierReference\n"
        "C-1,C-1,kim@example.com,Kim Doe,Torstr. 1,10115,Berlin,DE,2,1Z999AA10123456784,ups\n"
        "C-2,C-2,kim@example.com,Kim Doe,Torstr. 1,10115,Berlin,DE,1,,\n"
    )

    result = cli.invoke(app, ["import", "orders", str(path), "--shop", "acme"])

    assert result.exit_code == 0, result.output
    assert "imported 2, refused 0\n" in result.output
    assert _rows(tmp_path, "SELECT order_number, expected_number_of_shipments FROM orders "
                           "ORDER BY order_number") == [("C-1", 2), ("C-2", 1)]  # fmt: skip
    assert _rows(
        tmp_path, "SELECT tracking_number FROM shipments WHERE tracking_number IS NOT NULL"
    ) == [("1Z999AA10123456784",)]


def test_an_unknown_shop_is_refused_before_reading(cli: CliRunner, orders_file: Path) -> None:
    result = cli.invoke(app, ["import", "orders", str(orders_file), "--shop", "nope"])

    assert result.exit_code == 2
    assert "NOT_FOUND: no shop 'nope'" in result.output


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_an_export_imports_into_another_shop_as_the_same_orders(
    cli: CliRunner, tmp_path: Path
) -> None:
    # given an order with a bundle, a discount, analytics, two packages (one shipped)
    order = _upsert(
        "B-1",
        currency="EUR",
        totalOrderPrice="59.90",
        expectedNumberOfShipments=2,
        products=[
            {"title": "Mug", "sku": "MUG", "quantity": 2, "price": "12.50",
             "images": [{"src": "https://shop.example/mug.png", "alt": "A mug"}]},
            {"title": "Set", "sku": "SET", "type": "BUNDLE", "price": "34.90",
             "bundledProducts": [{"title": "Towel", "sku": "TOWEL", "quantity": 2}]},
        ],
        discounts=[{"code": "WELCOME", "amount": "5.00"}],
        orderAnalytics={"source": "newsletter", "extras": {"ab_test": "b"}},
    )  # fmt: skip
    order["trackings"] = [
        {"trackingNumber": "1Z999AA10123456784", "carrierReference": "ups",
         "products": [{"sku": "MUG", "quantity": 2}]}
    ]  # fmt: skip
    source = tmp_path / "source.jsonl"
    source.write_text(json.dumps(order) + "\n" + json.dumps(_upsert("B-2")) + "\n")
    assert cli.invoke(app, ["import", "orders", str(source), "--shop", "acme"]).exit_code == 0

    # when it is exported, imported into a second shop and exported from there
    first, second = tmp_path / "acme.jsonl", tmp_path / "copy.jsonl"
    result = cli.invoke(app, ["export", "orders", "--shop", "acme", "-o", str(first)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("exported 2 orders to " + str(first) + "\n")
    assert cli.invoke(app, ["shop", "create", "copy"]).exit_code == 0
    assert cli.invoke(app, ["import", "orders", str(first), "--shop", "copy"]).exit_code == 0
    assert cli.invoke(app, ["export", "orders", "--shop", "copy", "-o", str(second)]).exit_code == 0

    # then both exports hold the same orders, and they carry what was sent
    exported = sorted(_lines(first), key=lambda item: str(item["id"]))
    assert exported == sorted(_lines(second), key=lambda item: str(item["id"]))
    b1 = exported[0]["order"]
    assert exported[0]["id"] == "B-1"
    assert [(p["sku"], p["quantity"], p["price"]) for p in b1["products"]] == [
        ("MUG", 2, "12.50"), ("SET", 1, "34.90")
    ]  # fmt: skip
    assert b1["products"][0]["images"] == [{"src": "https://shop.example/mug.png", "alt": "A mug"}]
    assert b1["products"][1]["bundledProducts"][0]["sku"] == "TOWEL"
    assert b1["address"]["zipCode"] == "10115"
    assert b1["discounts"] == [{"code": "WELCOME", "amount": "5.00"}]
    assert b1["orderAnalytics"]["extras"] == {"ab_test": "b"}
    assert b1["expectedNumberOfShipments"] == 2
    assert exported[0]["trackings"] == [
        {"trackingNumber": "1Z999AA10123456784", "carrierReference": "ups",
         "trackingUrl": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
         "trackingPlacedAt": exported[0]["trackings"][0]["trackingPlacedAt"],
         "direction": "MERCHANT_CUSTOMER", "products": [{"sku": "MUG", "quantity": 2}]}
    ]  # fmt: skip
    assert not (tmp_path / "acme.jsonl.partial").exists()


def test_exporting_an_unknown_shop_is_refused(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "none.jsonl"
    result = cli.invoke(app, ["export", "orders", "--shop", "nope", "-o", str(target)])
    assert result.exit_code == 2
    assert "NOT_FOUND: no shop 'nope'" in result.output
    assert not target.exists()
