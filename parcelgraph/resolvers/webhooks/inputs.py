"""The inputs of the webhook subscription use cases: pydantic models, validated once.

`WebhookInput` subscribes a URL (create), `WebhookChanges` changes one (update; a field
left out stays as it is). Whether a URL may be reached (private addresses, the SSRF rules)
depends on the server's settings, so the use case checks that beside the model's verdict.
"""

from functools import cache
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from parcelgraph.domain import catalogue
from parcelgraph.domain.enums import WebhookFormat, WebhookStatus
from parcelgraph.domain.webhook_matching import unknown_entries
from parcelgraph.resolvers.common.fields import Text, refuse
from parcelgraph.resolvers.common.inputs import Input

MAX_URL_LENGTH = 2000
MAX_DESCRIPTION_LENGTH = 1000
MAX_ENABLED_EVENTS = 100


@cache
def _catalogue() -> tuple[set[str], set[str]]:
    return set(catalogue.all_refs()), set(catalogue.all_groups())


def _known_entry(entry: str) -> str:
    if unknown_entries([entry], *_catalogue()):
        raise refuse(
            "ENABLED_EVENT_UNKNOWN",
            f"{entry!r} matches no event ref, ref prefix or event group of the catalogue "
            "(use '*', a ref such as 'shipments/delivered', or a group such as "
            "'shipment_delivered').",
        )
    return entry


# Stored as sent but for the surrounding blanks.
WebhookUrl = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_URL_LENGTH)]
# Each entry is checked on its own, so every unknown one is reported at its index.
EnabledEvents = Annotated[
    list[Annotated[str, AfterValidator(_known_entry)]], Field(max_length=MAX_ENABLED_EVENTS)
]


class WebhookInput(Input):
    """A new subscription: where to send, which events (omitted: all), and how."""

    url: WebhookUrl
    enabled_events: EnabledEvents | None = None
    description: Text(MAX_DESCRIPTION_LENGTH) | None = None
    format: WebhookFormat = WebhookFormat.STANDARD
    status: WebhookStatus = WebhookStatus.ACTIVE


class WebhookChanges(Input):
    """Changes to a subscription; None leaves a field as it is, an empty description clears it."""

    url: WebhookUrl | None = None
    enabled_events: EnabledEvents | None = None
    description: Text(MAX_DESCRIPTION_LENGTH) | None = None
    status: WebhookStatus | None = None
    format: WebhookFormat | None = None
