"""Opening a database another connection has locked waits for it instead of failing."""

import sqlite3
import threading
from pathlib import Path

import pytest

from parcelgraph.db import _pragma


def test_the_wal_switch_waits_for_a_lock_held_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    opener = sqlite3.connect(path, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        opener.execute("PRAGMA journal_mode=WAL")  # what SQLite does without the retry
    threading.Timer(0.2, lambda: holder.execute("COMMIT")).start()

    _pragma(opener.cursor(), "journal_mode=WAL")

    assert opener.execute("PRAGMA journal_mode").fetchone() == ("wal",)
