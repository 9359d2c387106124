"""A fake carrier server and a recording sleep for the carrier adapter tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.tracking.carriers.cases import Sleeps
from tests.tracking.carriers.fake_carrier import FakeCarrier, running


@pytest.fixture
def fake() -> Iterator[FakeCarrier]:
    with running() as server:
        yield server


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()
