"""Resources: the event catalogue, the phase machine, the schema SDL, and each order.

The catalogue and the phase machine are read from `domain` (the tables the use cases
enforce), the SDL is the running schema's, and an order is the same view `get_order`
returns, so no resource can disagree with what the tools do.
"""

import json
from typing import Any
from urllib.parse import unquote

import mcp.types as types

from parcelgraph.domain import catalogue, phases
from parcelgraph.mcp_server import documents as docs
from parcelgraph.mcp_server.calls import Call
from parcelgraph.mcp_server.errors import ToolFailure

CATALOGUE_URI = "parcelgraph://catalogue/events"
PHASES_URI = "parcelgraph://phases/machine"
SCHEMA_URI = "parcelgraph://schema.graphql"
ORDER_TEMPLATE = "parcelgraph://orders/{orderNumber}"
ORDER_PREFIX = "parcelgraph://orders/"

RESOURCES = [
    types.Resource(
        uri=CATALOGUE_URI,
        name="event-catalogue",
        title="Event catalogue",
        description="Every event name with its ref, phase, source, webhook groups, flags "
        "and meaning. append_shipment_event takes the shipment events' names.",
        mime_type="application/json",
    ),
    types.Resource(
        uri=PHASES_URI,
        name="phase-machine",
        title="Phase machine",
        description="The shipment phases, which phase may follow which, the final phases, "
        "and the events that may be recorded next from each phase.",
        mime_type="application/json",
    ),
    types.Resource(
        uri=SCHEMA_URI,
        name="schema",
        title="GraphQL schema (SDL)",
        description="The full GraphQL schema with every description: what graphql_query can read.",
        mime_type="application/graphql",
    ),
]

TEMPLATES = [
    types.ResourceTemplate(
        uri_template=ORDER_TEMPLATE,
        name="order",
        title="Order tracking view",
        description="One order of this shop by its order number: packages, phases, latest "
        "events, ETA and claims (the same view as get_order).",
        mime_type="application/json",
    )
]


def catalogue_json() -> list[dict[str, Any]]:
    """The event catalogue as JSON (the `eventCatalogue` query's fields and enum names)."""
    return [
        {
            "name": d.name,
            "ref": d.ref,
            "phase": d.phase.name if d.phase else None,
            "source": d.source.name,
            "group": d.group.value,
            "returnGroup": d.return_group.value,
            "description": d.description,
            "delayed": d.delayed,
            "damaged": d.damaged,
            "failedAttempt": d.failed_attempt,
            "preTransit": d.pre_transit,
            "keepsPhase": d.keeps_phase,
        }
        for d in catalogue.all_definitions()
    ]


def phase_machine_json() -> dict[str, Any]:
    """The phase machine: transitions, final phases, and the events allowed per phase."""

    def key(phase: Any) -> str:
        return phase.name if phase is not None else "NEW_SHIPMENT"

    return {
        "transitions": {
            key(p): sorted(n.name for n in nexts) for p, nexts in phases.TRANSITIONS.items()
        },
        "finalPhases": sorted(p.name for p in phases.FINAL_PHASES),
        "returnPhases": sorted(p.name for p in phases.RETURN_PHASES),
        "allowedEvents": {
            key(p): [d.name for d in phases.allowed_events(p)] for p in phases.TRANSITIONS
        },
    }


def _text(uri: str, text: str, mime: str) -> types.ReadResourceResult:
    return types.ReadResourceResult(
        contents=[types.TextResourceContents(uri=uri, text=text, mime_type=mime)]
    )


async def read(call: Call, uri: str) -> types.ReadResourceResult:
    """The resource at `uri`; an unknown one, or a missing order, is a ToolFailure."""
    if uri == CATALOGUE_URI:
        return _text(uri, json.dumps(catalogue_json()), "application/json")
    if uri == PHASES_URI:
        return _text(uri, json.dumps(phase_machine_json()), "application/json")
    if uri == SCHEMA_URI:
        return _text(uri, call.bridge.sdl, "application/graphql")
    if uri.startswith(ORDER_PREFIX) and len(uri) > len(ORDER_PREFIX):
        number = unquote(uri.removeprefix(ORDER_PREFIX))
        data = await call.query(docs.GET_ORDER, {"orderNumber": number})
        if data["order"] is None:
            raise ToolFailure.one("No order matches the given id in this shop.", "ORDER_NOT_FOUND")
        return _text(uri, json.dumps(data["order"]), "application/json")
    raise ToolFailure.one(f"No resource {uri!r}.", "NOT_FOUND")
