"""Prompts: two support tasks an agent is often handed, written against the tools."""

import mcp.types as types

INVESTIGATE = "investigate_delayed_parcel"
DAMAGED_CLAIM = "handle_damaged_package_claim"

PROMPTS = [
    types.Prompt(
        name=INVESTIGATE,
        title="Investigate a delayed parcel",
        description="Find out where a late parcel is, why it is late and what to tell the "
        "customer, from its real carrier events only.",
        arguments=[
            types.PromptArgument(
                name="reference",
                description="What the customer gave: order number, tracking number or email.",
                required=True,
            )
        ],
    ),
    types.Prompt(
        name=DAMAGED_CLAIM,
        title="Handle a damaged-package claim",
        description="Check that a package's state allows a damage claim and file it with "
        "the damaged items.",
        arguments=[
            types.PromptArgument(
                name="orderNumber", description="The shop's order number.", required=True
            ),
            types.PromptArgument(
                name="trackingNumber",
                description="The damaged package's tracking number, if known.",
                required=False,
            ),
            types.PromptArgument(
                name="details", description="What the customer reported.", required=False
            ),
        ],
    ),
]


def _investigate(arguments: dict[str, str]) -> str:
    reference = arguments.get("reference", "")
    return (
        f"A customer asks about a parcel that seems delayed. They gave: {reference!r}.\n"
        "1. Call find_orders with search set to that value (or email, if it is an email).\n"
        "2. Call get_order for the order: look at each package's phase, delayed flag, "
        "latestEvent and estimatedArrival.\n"
        "3. For the late package, call get_shipment_events and read the events in order; "
        "check the phase machine resource (parcelgraph://phases/machine) for what may come "
        "next.\n"
        "4. If the carrier looks wrong, call explain_carrier with the tracking number.\n"
        "Report only what the events say; never invent scans. Say when the parcel was last "
        "seen, what the estimate is, and whether a NOT_RECEIVED or INVESTIGATION claim is "
        "already possible (claim_options)."
    )


def _damaged(arguments: dict[str, str]) -> str:
    order = arguments.get("orderNumber", "")
    tracking = arguments.get("trackingNumber") or "(find it in the order)"
    details = arguments.get("details") or "(none given)"
    return (
        f"A customer reports a damaged package. Order {order!r}, tracking {tracking}. "
        f"Details: {details}\n"
        "1. Call get_order with orderNumber to see the packages and their contents.\n"
        "2. Call claim_options for the package: DAMAGE (whole package) or PARTIAL_DAMAGE "
        "(some items) must be eligible; if not, explain whyNot to the customer.\n"
        "3. Call create_claim with reason, orderNumber, trackingNumber, selectedItems "
        "(sku, title, quantity of the damaged items) and the customer's description and "
        "photo URLs.\n"
        "4. If create_claim returns errors, fix the fields named in `field` (codes such as "
        "CLAIM_NOT_ELIGIBLE, QUANTITY_EXCEEDS_SHIPMENT, DUPLICATE_CLAIM) and try again."
    )


def render(name: str, arguments: dict[str, str] | None) -> types.GetPromptResult:
    """The prompt's message; an unknown name raises KeyError."""
    builders = {INVESTIGATE: _investigate, DAMAGED_CLAIM: _damaged}
    build = builders[name]
    prompt = next(p for p in PROMPTS if p.name == name)
    text = build(arguments or {})
    return types.GetPromptResult(
        description=prompt.description,
        messages=[types.PromptMessage(role="user", content=types.TextContent(text=text))],
    )
