// Builds the order view from the API's data with DOM calls only (never innerHTML), so text
// from the API can never turn into markup.
import { CLAIM_STATUS, PHASES, REASONS, STEPS, eventTitle, eventWarning } from "./words.js";

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// The viewer's own time zone and language (Intl defaults to both).
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
  timeZoneName: "short",
});
const dayOnly = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
const orderDate = new Intl.DateTimeFormat(undefined, { dateStyle: "long" });

export const formatDateTime = (iso) => dateTime.format(new Date(iso));
export const formatOrderDate = (iso) => orderDate.format(new Date(iso));

function arrivalText(eta) {
  if (!eta || (!eta.earliest && !eta.latest)) return null;
  const from = eta.earliest && dayOnly.format(new Date(eta.earliest));
  const to = eta.latest && dayOnly.format(new Date(eta.latest));
  if (from && to && from !== to) return `Expected between ${from} and ${to}`;
  return `Expected on ${from || to}`;
}

function progressBar(phase) {
  const [step, label, tone] = PHASES[phase] || [0, phase, "normal"];
  const fill = h("div", { class: "fill" });
  fill.style.width = `${(step / (STEPS.length - 1)) * 100}%`; // CSSOM: allowed by the CSP
  return h("div", { class: `progress tone-${tone}` },
    h("div", {
      class: "bar", role: "progressbar", "aria-label": "Delivery progress",
      "aria-valuemin": 0, "aria-valuemax": STEPS.length - 1, "aria-valuenow": step,
      "aria-valuetext": label, "data-phase": phase,
    }, fill),
    h("ol", { class: "steps", "aria-hidden": "true" },
      STEPS.map((name, i) => h("li", { class: i <= step ? "reached" : "" }, name))),
    h("p", { class: "phase-label", "data-testid": "phase-label" }, label));
}

function productList(items) {
  if (!items.length) return null;
  return h("ul", { class: "products", "aria-label": "Items in this package" },
    items.map((item) => {
      const image = (item.images || [])[0];
      return h("li", { class: "product" },
        image ? h("img", { src: image.src, alt: image.alt || item.title, loading: "lazy",
          width: 64, height: 64, referrerpolicy: "no-referrer" })
          : h("span", { class: "no-image", "aria-hidden": "true" }),
        h("span", { class: "title" }, item.title),
        h("span", { class: "qty" }, `× ${item.quantity}`));
    }));
}

function timeline(events) {
  if (!events.length) return null;
  const newestFirst = [...events].sort((a, b) => b.position - a.position);
  return h("section", { class: "timeline-wrap" },
    h("h3", {}, "Tracking history"),
    h("ol", { class: "timeline" }, newestFirst.map((event) => {
      const warning = eventWarning(event);
      return h("li", { class: warning ? "event warn" : "event", "data-position": event.position },
        h("time", { datetime: event.occurredAt }, formatDateTime(event.occurredAt)),
        h("span", { class: "event-title" }, eventTitle(event)),
        warning ? h("strong", { class: "badge" }, warning) : null,
        event.location ? h("span", { class: "location" }, event.location) : null,
        event.message ? h("span", { class: "message" }, event.message) : null);
    })));
}

function claimsList(claims) {
  if (!claims || !claims.length) return null;
  return h("ul", { class: "claims", "aria-label": "Your reports" }, claims.map((claim) =>
    h("li", { "data-testid": "claim" }, `Reported: ${REASONS[claim.reason] || claim.reason} — `,
      h("strong", {}, CLAIM_STATUS[claim.status] || claim.status))));
}

export function packageItems(shipment, order, total) {
  const own = (shipment.products || []).map((p) => ({
    title: p.title, quantity: p.quantity, sku: p.sku, images: (p.product && p.product.images) || [],
  }));
  // A single package without an explicit list holds the whole order.
  if (own.length || total > 1) return own;
  return (order.products || []).map((p) => ({
    title: p.title, quantity: p.quantity, sku: p.sku, images: p.images || [],
  }));
}

export function renderPackage(shipment, order, total, actions) {
  const n = shipment.position;
  const title = shipment.isDraft ? `Expected package ${n} of ${total}` : `Package ${n} of ${total}`;
  const body = [];
  if (shipment.isDraft) {
    body.push(h("p", { class: "draft-note" },
      "We're preparing this package. Tracking details appear here as soon as it ships."));
  } else {
    const carrier = (shipment.carrier && shipment.carrier.reference) || shipment.trackingCompany;
    body.push(h("dl", { class: "facts" },
      carrier ? [h("dt", {}, "Carrier"), h("dd", { "data-testid": "carrier" }, carrier.toUpperCase())] : null,
      h("dt", {}, "Tracking number"),
      h("dd", { "data-testid": "tracking-number" }, shipment.trackingUrl
        ? h("a", { href: shipment.trackingUrl, target: "_blank", rel: "noopener noreferrer" },
          shipment.trackingNumber, h("span", { class: "visually-hidden" }, " (opens the carrier's site)"))
        : shipment.trackingNumber)));
    body.push(progressBar(shipment.phase));
    if (shipment.delayed) body.push(h("p", { class: "notice warn" }, "This parcel is delayed."));
    if (shipment.failedAttempts > 0) {
      body.push(h("p", { class: "notice warn" },
        `Delivery attempts that failed: ${shipment.failedAttempts}.`));
    }
    const eta = !shipment.deliveredAt && arrivalText(shipment.estimatedArrival);
    if (eta) body.push(h("p", { class: "eta", "data-testid": "eta" }, eta));
    if (shipment.deliveredAt) {
      body.push(h("p", { class: "eta" }, `Delivered ${formatDateTime(shipment.deliveredAt)}`));
    }
  }
  body.push(productList(packageItems(shipment, order, total)));
  body.push(timeline(shipment.events || []));
  body.push(claimsList(shipment.claims));
  body.push(actions);
  return h("li", { class: shipment.isDraft ? "package draft" : "package",
    "data-shipment-id": shipment.id, "data-testid": "package",
    "aria-labelledby": `pkg-${n}` }, h("h2", { id: `pkg-${n}` }, title), ...body);
}
