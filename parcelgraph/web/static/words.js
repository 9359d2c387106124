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
const REASON_ORDER = Object.keys(REASONS);
const AFTER_RECEIPT = new Set(["DAMAGE", "PARTIAL_DAMAGE", "MISSING_ITEM", "WRONG_ITEM", "RETURN"]);
const RETURN_PHASES = new Set(["RETURN_CREATED", "RETURN_TRANSIT", "RETURN_RECEIVED", "RETURN_FAILED"]);
// The server's default (settings.claim_not_received_after_days); the server decides in the end
// and answers CLAIM_NOT_ELIGIBLE if it is configured otherwise.
const QUIET_DAYS = 7;

export const CLAIM_STATUS = {
  PENDING: "being reviewed", ACCEPTED: "accepted", REJECTED: "declined", CLOSED: "closed",
};

// The reasons a customer may report now for one shipment (domain.md §6), minus those that
// already have an open claim (the API allows one open claim per shipment and reason).
export function eligibleReasons(shipment, now = Date.now()) {
  if (shipment.isDraft || !shipment.trackingNumber) return [];
  const received = Boolean(shipment.deliveredAt) || RETURN_PHASES.has(shipment.phase);
  const failed = ["DELIVERY_FAILED", "RETURNED"].includes(shipment.phase) ||
    shipment.failedAttempts > 0;
  const lastNews = shipment.lastEventAt || shipment.trackingPlacedAt;
  const quiet = lastNews && now - Date.parse(lastNews) >= QUIET_DAYS * 86400000;
  const open = new Set((shipment.claims || [])
    .filter((c) => c.status === "PENDING" || c.status === "ACCEPTED").map((c) => c.reason));
  return REASON_ORDER.filter((reason) => {
    if (open.has(reason)) return false;
    if (AFTER_RECEIPT.has(reason)) return received;
    if (reason === "NOT_RECEIVED") return received || failed || quiet;
    return true; // SUPPORT, INVESTIGATION: any time after fulfilment
  });
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
