// The customer's two actions, each in a modal <dialog> (focus stays inside, Escape closes),
// kept outside the live-rendered package list so updates never wipe a half-filled form.
import { ApiError, MESSAGES, friendlyErrors, graphql } from "./api.js";
import { CHANGE_ADDRESS, CREATE_CLAIM } from "./queries.js";
import { h, packageItems } from "./render.js";
import { REASONS } from "./words.js";

let uid = 0;

function field(label, input, hint) {
  const id = input.id || `f${++uid}`;
  input.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), input,
    hint ? h("small", {}, hint) : null);
}

function dialog(titleText, form) {
  const titleId = `d${++uid}`;
  const el = h("dialog", { "aria-labelledby": titleId }, h("h2", { id: titleId }, titleText), form);
  el.addEventListener("close", () => el.remove());
  document.body.append(el);
  el.showModal();
  return el;
}

function buttons(submitText, el) {
  return h("div", { class: "buttons" },
    h("button", { type: "submit" }, submitText),
    h("button", { type: "button", class: "secondary", onclick: () => el.close() }, "Cancel"));
}

function showErrors(box, messages) {
  box.replaceChildren(...messages.map((m) => h("p", {}, m)));
  box.hidden = !messages.length;
  if (messages.length) box.focus();
}

function confirm(text) {
  const box = document.getElementById("confirmation");
  box.textContent = text;
  box.hidden = false;
}

async function submit(form, errorsBox, run) {
  const button = form.querySelector("button[type=submit]");
  button.disabled = true; // a double click must not file twice
  try {
    return await run();
  } catch (err) {
    console.error("parcelgraph: action failed", err);
    showErrors(errorsBox, [err instanceof ApiError ? err.message : MESSAGES.generic]);
    return null;
  } finally {
    button.disabled = false;
  }
}

// A modal form: its fields, then Send and Cancel. On submit `send(data)` runs the mutation
// named `mutation`; the server's refusals are shown in the form, and only an accepted input
// closes the dialog, thanks the customer and reloads the page's data.
function formDialog({ title, fields, submitText, mutation, send, thanks, reload }) {
  const errorsBox = h("div", { class: "form-errors", role: "alert", tabindex: -1, hidden: true });
  const form = h("form", {}, errorsBox, fields);
  const el = dialog(title, form);
  form.append(buttons(submitText, el));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const result = await submit(form, errorsBox, () => send(data));
    if (!result) return;
    const refused = friendlyErrors(result[mutation].errors);
    if (refused.length) return showErrors(errorsBox, refused);
    el.close();
    confirm(thanks);
    reload();
  });
}

export function openClaimDialog({ page, order, shipment, reasons, reload }) {
  const items = packageItems(shipment, order, order.shipments.length).filter((i) => i.sku);
  const reasonSet = h("fieldset", {}, h("legend", {}, "What happened?"),
    reasons.map((reason, i) => h("label", { class: "choice" },
      h("input", { type: "radio", name: "reason", value: reason, required: true, checked: i === 0 }),
      REASONS[reason])));
  const itemSet = items.length ? h("fieldset", {}, h("legend", {}, "Which items? (optional)"),
    items.map((item) => {
      const qty = h("input", { type: "number", name: `qty:${item.sku}`, min: 1, max: item.quantity,
        value: item.quantity, inputmode: "numeric" });
      return h("div", { class: "item-row" },
        h("label", { class: "choice" }, h("input", { type: "checkbox", name: "item", value: item.sku }),
          item.title),
        field(`Quantity of ${item.title} (at most ${item.quantity})`, qty));
    })) : null;
  const preference = h("fieldset", {}, h("legend", {}, "What would you like?"),
    [["", "No preference"], ["REFUND", "A refund"], ["REORDER", "A replacement"]].map(([value, text]) =>
      h("label", { class: "choice" },
        h("input", { type: "radio", name: "preference", value, checked: value === "" }), text)));
  const description = h("textarea", { name: "description", rows: 4, maxlength: 2000 });
  formDialog({
    title: `Report a problem with package ${shipment.position}`,
    fields: [reasonSet, itemSet, preference, field("Tell us more (optional)", description)],
    submitText: "Send report",
    mutation: "createClaim",
    send: (data) => {
      const selectedItems = data.getAll("item").map((sku) => {
        const item = items.find((i) => i.sku === sku);
        return { sku, title: item.title, quantity: Number(data.get(`qty:${sku}`)) || 1 };
      });
      const input = {
        orderId: order.id, shipmentId: shipment.id, reason: data.get("reason"), selectedItems,
        resolutionPreference: data.get("preference") || null,
        description: (data.get("description") || "").trim() || null,
      };
      return graphql(page.slug, page.token, CREATE_CLAIM, { input });
    },
    thanks: "Thank you. Your report was sent to the shop, which will get back to you.",
    reload,
  });
}

export function openAddressDialog({ page, order, reload }) {
  const a = order.address || {};
  const input = (name, attrs = {}) =>
    h("input", { name, value: a[name] || "", autocomplete: attrs.autocomplete, ...attrs });
  formDialog({
    title: "Change delivery address",
    fields: [
      field("Full name", input("name", { autocomplete: "name" })),
      field("Street and house number", input("addressLine1", { required: true, autocomplete: "address-line1" })),
      field("Apartment, floor, c/o (optional)", input("addressLine2", { autocomplete: "address-line2" })),
      field("Postal code", input("zipCode", { required: true, autocomplete: "postal-code" })),
      field("City", input("city", { required: true, autocomplete: "address-level2" })),
      field("Country code", input("countryCode", { required: true, maxlength: 2,
        autocomplete: "country", pattern: "[A-Za-z]{2}" }), "Two letters, for example DE or FR."),
    ],
    submitText: "Save address",
    mutation: "updateMyOrderAddress",
    send: (data) => {
      const value = (name) => (data.get(name) || "").trim() || null;
      const address = {
        name: value("name"), company: a.company || null, addressLine1: value("addressLine1"),
        addressLine2: value("addressLine2"), zipCode: value("zipCode"), city: value("city"),
        province: a.province || null, countryCode: (value("countryCode") || "").toUpperCase() || null,
      };
      return graphql(page.slug, page.token, CHANGE_ADDRESS, { input: { address } });
    },
    thanks: "Your delivery address was updated.",
    reload,
  });
}
