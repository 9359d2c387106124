// The tracking page: reads everything through the public GraphQL API (one query), stays
// live through one `orderEvents` subscription resumed from its cursor, and offers the
// customer's actions (change address, report a problem) when the link carries a token.
import { ApiError, MESSAGES, endpoint, graphql } from "./api.js";
import { createClient } from "./gqlws.js";
import { openAddressDialog, openClaimDialog } from "./forms.js";
import { PAGE, LOOKUP, LIVE } from "./queries.js";
import { formatOrderDate, h, renderPackage } from "./render.js";
import { PHASES, eligibleReasons, eventTitle } from "./words.js";

const $ = (id) => document.getElementById(id);
const parts = location.pathname.split("/").filter(Boolean).map(decodeURIComponent);
// The token travels in the URL fragment (#token=…), which browsers never send to a server
// nor put in a Referer, so it reaches no access log. An older ?token= link still works: the
// token is moved into the fragment at once.
function linkToken() {
  const fromFragment = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromFragment) return fromFragment;
  const query = new URLSearchParams(location.search);
  const fromQuery = query.get("token");
  if (fromQuery) {
    query.delete("token");
    const rest = query.toString();
    const hash = new URLSearchParams({ token: fromQuery }).toString();
    history.replaceState(null, "", `${location.pathname}${rest ? `?${rest}` : ""}#${hash}`);
  }
  return fromQuery;
}

const page = {
  slug: parts[1],
  orderNumber: parts[2] || null,
  token: linkToken(),
  order: null,
  cursor: null, // position of the newest event seen: where the stream resumes
  client: null,
  refetchTimer: null,
};
window.parcelgraph = page; // for debugging in the console and for the browser tests

function showAlert(message) {
  const box = $("alert");
  box.replaceChildren(message ? h("p", {}, message) : "");
  box.hidden = !message;
}

function announce(text) {
  $("announcer").textContent = text;
}

function setLive(status) {
  const words = {
    connecting: "Connecting for live updates…", live: "Live updates on",
    reconnecting: "Reconnecting…", offline: "Connection lost, reconnecting…",
    refused: "Live updates stopped: this link is no longer valid.",
  };
  const el = $("live-status");
  el.textContent = words[status] || "";
  el.dataset.status = status;
  if (status === "live" && page.wasOffline) scheduleRefetch(); // catch up on non-event changes
  page.wasOffline = status !== "live" && status !== "connecting";
  if (status === "refused") showAlert(MESSAGES.auth);
}

function render(shopName, order, { readOnly }) {
  document.title = `${shopName} – order ${order.orderNumber}`;
  $("shop-name").textContent = shopName;
  $("order-title").textContent = `Order ${order.orderName || order.orderNumber}`;
  $("order-meta").textContent = `Placed on ${formatOrderDate(order.orderPlacedAt)}` +
    (order.state === "CANCELLED" ? " · cancelled" : "");
  const focusedKey = document.activeElement && document.activeElement.dataset.key;
  const shipments = [...order.shipments].sort((a, b) => a.position - b.position);
  const total = Math.max(order.expectedNumberOfShipments || 0, shipments.length);
  $("packages").replaceChildren(...shipments.map((shipment) =>
    renderPackage(shipment, order, total, readOnly ? null : packageActions(shipment, order))));
  $("order-actions").replaceChildren(readOnly ? "" : orderActions(order, shipments));
  if (focusedKey) {
    const again = document.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`);
    if (again) again.focus();
  }
  $("content").hidden = false;
}

function packageActions(shipment, order) {
  const reasons = eligibleReasons(shipment);
  if (!reasons.length) return null;
  return h("div", { class: "actions" }, h("button", {
    type: "button", class: "secondary", "data-key": `claim-${shipment.id}`,
    onclick: () => openClaimDialog({ page, order, shipment, reasons, reload: load }),
  }, "Report a problem"));
}

function orderActions(order, shipments) {
  const shipped = shipments.some((s) => !s.isDraft);
  if (shipped || order.state === "CANCELLED") return "";
  const a = order.address;
  return h("section", { class: "address", "aria-labelledby": "address-heading" },
    h("h2", { id: "address-heading" }, "Delivery address"),
    a ? h("address", { "data-testid": "address" },
      [a.name, a.company, a.addressLine1, a.addressLine2, `${a.zipCode || ""} ${a.city || ""}`.trim(),
        a.countryCode].filter(Boolean).map((line) => h("span", {}, line))) : null,
    h("button", { type: "button", "data-key": "address",
      onclick: () => openAddressDialog({ page, order, reload: load }) }, "Change delivery address"));
}

async function load() {
  try {
    const data = await graphql(page.slug, page.token, PAGE, { orderNumber: page.orderNumber });
    if (!data.order) throw new ApiError("notfound", MESSAGES.notfound);
    const first = page.order === null;
    page.order = data.order;
    showAlert(null);
    render(data.shop.name, data.order, { readOnly: false });
    if (first) {
      const newest = data.order.events.edges[0];
      page.cursor = newest ? newest.node.position : 0;
      startLive();
    }
  } catch (err) {
    console.error("parcelgraph: loading the order failed", err);
    showAlert(err instanceof ApiError ? err.message : MESSAGES.generic);
    if (err.kind === "auth" && !page.order) showLookup();
    if (err.kind === "network" && page.order) scheduleRefetch(5000);
  }
}

function scheduleRefetch(delay = 150) {
  // Bursts of events (a replay after a reconnect) become one query.
  clearTimeout(page.refetchTimer);
  page.refetchTimer = setTimeout(load, delay);
}

function onEvent(event) {
  if (page.cursor !== null && event.position <= page.cursor) return; // already seen
  page.cursor = event.position;
  const phase = PHASES[event.phase];
  announce(`Update: ${eventTitle(event)}${phase ? ` (${phase[1]})` : ""}`);
  scheduleRefetch();
}

function startLive() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  page.client = createClient({
    url: `${scheme}//${location.host}${endpoint(page.slug)}`,
    connectionParams: () => ({ token: page.token }),
    onStatus: setLive,
  });
  page.client.subscribe(
    () => ({ query: LIVE, variables: { orderNumber: page.orderNumber, after: page.cursor } }),
    {
      next: (payload) => {
        if (payload.errors) console.error("parcelgraph: stream error", payload.errors);
        if (payload.data && payload.data.orderEvents) onEvent(payload.data.orderEvents);
      },
      error: (errors) => {
        console.error("parcelgraph: live updates ended", errors);
        setLive("refused");
      },
      complete: () => console.warn("parcelgraph: live updates completed by the server"),
    });
}

async function lookup(event) {
  event.preventDefault();
  const form = event.target;
  const orderNumber = form.elements.orderNumber.value.trim();
  const zipCode = form.elements.zipCode.value.trim();
  if (!orderNumber || !zipCode) {
    showAlert("Please enter your order number and postal code.");
    return;
  }
  try {
    const data = await graphql(page.slug, null, LOOKUP, { orderNumber, zipCode });
    if (!data.trackOrder) {
      showAlert("We couldn't find an order with this number and postal code. Please check both.");
      return;
    }
    showAlert(null);
    render(data.trackOrder.shopName, data.trackOrder, { readOnly: true });
  } catch (err) {
    console.error("parcelgraph: lookup failed", err);
    showAlert(err instanceof ApiError ? err.message : MESSAGES.generic);
  }
}

window.addEventListener("error", (e) => console.error("parcelgraph: uncaught", e.error || e.message));
window.addEventListener("unhandledrejection", (e) => console.error("parcelgraph: unhandled", e.reason));

function showLookup() {
  // Without a (valid) token the same address is the read-only lookup by postal code.
  $("lookup").hidden = false;
  if (page.orderNumber) $("order-number").value = page.orderNumber;
  $("lookup-form").addEventListener("submit", lookup);
}

if (!page.slug) {
  showAlert(MESSAGES.notfound);
} else if (page.orderNumber && page.token) {
  load();
} else {
  showLookup();
}
