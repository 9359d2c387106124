// GraphQL over HTTP for the tracking page, and the words a customer reads when it fails.

export class ApiError extends Error {
  constructor(kind, message, detail) {
    super(message);
    this.kind = kind; // "network" | "auth" | "notfound" | "rate" | "graphql"
    this.detail = detail;
  }
}

export function endpoint(slug) {
  return `/v1/shops/${encodeURIComponent(slug)}/graphql`;
}

export async function graphql(slug, token, query, variables) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(endpoint(slug), {
      method: "POST", headers, body: JSON.stringify({ query, variables }),
      credentials: "omit", cache: "no-store",
    });
  } catch (err) {
    console.error("parcelgraph: request failed", err);
    throw new ApiError("network", MESSAGES.network, err);
  }
  let body = null;
  try { body = await response.json(); } catch (err) {
    console.error("parcelgraph: unreadable response", response.status, err);
  }
  const first = body && body.errors && body.errors[0];
  const code = first && first.extensions && first.extensions.code;
  if (response.status === 401 || response.status === 403 || code === "UNAUTHENTICATED") {
    throw new ApiError("auth", MESSAGES.auth, body);
  }
  if (response.status === 404 || code === "NOT_FOUND") {
    throw new ApiError("notfound", MESSAGES.notfound, body);
  }
  if (code === "FORBIDDEN") {
    throw new ApiError("forbidden", MESSAGES.forbidden, body);
  }
  if (response.status === 429 || code === "THROTTLED" || code === "RATE_LIMITED") {
    throw new ApiError("rate", MESSAGES.rate, body);
  }
  if (!body || first || !response.ok) {
    console.error("parcelgraph: GraphQL error", response.status, body);
    throw new ApiError("graphql", MESSAGES.generic, body);
  }
  return body.data;
}

export const MESSAGES = {
  network: "We can't reach the tracking service right now. Please check your connection; we'll keep trying.",
  auth: "This tracking link has expired or is no longer valid. Ask the shop for a new link, or look your order up with its number and postal code.",
  notfound: "We couldn't find this order. Please check the link, or the order number and postal code.",
  rate: "Too many attempts in a short time. Please wait a minute and try again.",
  forbidden: "This link doesn't allow that action. Please contact the shop.",
  generic: "Something went wrong on our side. Please try again in a moment.",
};

// UserError codes → what a customer can understand and act on.
const FRIENDLY = {
  CLAIM_NOT_ELIGIBLE: "This problem can't be reported for this package at its current stage. If something is wrong, choose \"Other question\" or try again once the parcel has arrived.",
  DUPLICATE_CLAIM: "You have already reported this problem for this package. The shop is looking into it.",
  QUANTITY_EXCEEDS_SHIPMENT: "You selected more items than this package contains.",
  UNKNOWN_PRODUCT: "One of the selected items is not in this package.",
  VALUE_TOO_LONG: "Your text is too long. Please shorten it.",
  VALUE_OUT_OF_RANGE: "One of the values is outside what is allowed. Please check the quantities.",
  REQUIRED: "Please fill in all required fields.",
  INVALID_URL: "One of the links is not a valid web address.",
  ORDER_NOT_EDITABLE: "Your order is already on its way, so the delivery address can't be changed any more. Please contact the shop.",
  ORDER_NOT_CANCELLABLE: "Your order is already on its way and can no longer be cancelled.",
  ZIP_CODE_INVALID: "Please check the postal code.",
  COUNTRY_CODE_INVALID: "Please choose a valid country.",
  PROVINCE_CODE_INVALID: "Please check the state or province.",
  INVALID_INPUT: "Some of the information is not in the expected format. Please check it.",
  ORDER_NOT_FOUND: MESSAGES.notfound,
  SHIPMENT_NOT_FOUND: "We couldn't find this package on your order.",
  NOT_FOUND: MESSAGES.notfound,
  FORBIDDEN: MESSAGES.forbidden,
};

export function friendlyErrors(errors) {
  const seen = new Set();
  for (const error of errors || []) {
    console.warn("parcelgraph: refused", error.code, error.field, error.message);
    seen.add(FRIENDLY[error.code] || MESSAGES.generic);
  }
  return [...seen];
}
