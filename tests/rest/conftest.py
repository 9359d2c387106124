"""The REST tests share the webhook tests' real receiver and outbox helper."""

from tests.webhooks.conftest import outbox, receiver  # noqa: F401
