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
