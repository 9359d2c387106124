"""The background services the lifespan starts, and the app's services as the MCP face sees them."""

from collections.abc import Awaitable, Callable
from typing import Any

from parcelgraph.mcp_server.calls import Services
from parcelgraph.tracking import service as carrier_poller
from parcelgraph.webhooks import service as webhook_service

# A background service gets the app's state and returns an async stop function.
BackgroundService = Callable[[Any], Awaitable[Callable[[], Awaitable[None]]]]
# Each with the setting that switches it on; the lifespan starts exactly the enabled ones and
# lists them in `app.state.running_services` (what `parcelgraph worker` prints).
BACKGROUND_SERVICES: list[tuple[str, str, BackgroundService]] = [
    ("webhook worker", "run_webhook_worker", webhook_service.start_service),
    ("carrier poller", "run_carrier_poller", carrier_poller.start_carrier_poller),
]


def mcp_services(state: Any) -> Services:
    """The app's shared services, as the MCP face needs them."""
    return Services(
        settings=state.settings,
        db=state.db,
        broker=state.broker,
        clock=state.clock,
        rate_limiter=state.rate_limiter,
    )
