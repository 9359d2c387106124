"""The webhook tests' real receiver and outbox helper, shared with tests/webhooks."""

from tests.webhooks.conftest import outbox, receiver  # noqa: F401
