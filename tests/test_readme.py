"""The README's configuration table lists exactly the settings the code reads."""

from pathlib import Path

from scripts.sync_readme_config import README, synced


def test_config_table_is_in_sync() -> None:
    text = README.read_text()
    assert text == synced(text), "run: python scripts/sync_readme_config.py"


def test_readme_names_the_two_quick_start_commands() -> None:
    text = Path(README).read_text()
    assert "./scripts/quickstart" in text
    assert "./scripts/test" in text
