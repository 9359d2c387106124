// Customer-facing words for the API's enums, and the claim reasons a package allows.

export const STEPS = ["Ordered", "Ready to ship", "On its way", "Out for delivery", "Delivered"];

// Phase → [step reached on the progress bar, label, tone].
export const PHASES = {
  ORDER_CREATED: [0, "Order received", "normal"],
  ORDER_PROCESSED: [1, "Ready to ship", "normal"],
  IN_TRANSIT: [2, "On its way", "normal"],
  IN_DELIVERY: [3, "Out for delivery", "normal"],
  COLLECT: [3, "Ready for pickup", "normal"],
  DELIVERY_FAILED: [3, "Delivery attempt failed", "warn"],
  DELIVERED: [4, "Delivered", "done"],
  RETURNED: [2, "Returned to the shop", "warn"],
  RETURN_CREATED: [4, "Return started", "normal"],
  RETURN_TRANSIT: [4, "Return on its way", "normal"],
  RETURN_RECEIVED: [4, "Return received by the shop", "done"],
  RETURN_FAILED: [4, "Return failed", "warn"],
};

export const REASONS = {
  NOT_RECEIVED: "I haven't received my parcel",
  DAMAGE: "The parcel arrived damaged",
  PARTIAL_DAMAGE: "Some items arrived damaged",
  MISSING_ITEM: "Items are missing",
  WRONG_ITEM: "I received the wrong item",
  RETURN: "I want to return items",
  SUPPORT: "Other question about this package",
  INVESTIGATION: "Please ask the carrier to investigate",
};
// Reasons are offered in this order; one the page has no words for is not offered.
const REASON_ORDER = Object.keys(REASONS);

export const CLAIM_STATUS = {
  PENDING: "being reviewed", ACCEPTED: "accepted", REJECTED: "declined", CLOSED: "closed",
};

// The reasons a customer may report now for one shipment, as the server decides them
// (`Shipment.claimOptions`: the same rules createClaim applies, open claims included).
export function eligibleReasons(shipment) {
  const eligible = new Set((shipment.claimOptions || [])
    .filter((option) => option.eligible).map((option) => option.reason));
  return REASON_ORDER.filter((reason) => eligible.has(reason));
}

export function eventTitle(event) {
  const words = event.eventName.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// Events a customer should notice: delays, damage, failed attempts, returns.
export function eventWarning(event) {
  const group = event.eventGroup || "";
  if (group.includes("delivery_failed") || event.phase === "DELIVERY_FAILED") return "Delivery failed";
  if (group.includes("delay")) return "Delayed";
  if (group.includes("damaged")) return "Damaged";
  if (group.includes("returned")) return "Returned";
  return null;
}
