// Admin page panel for issue 14: due times per ticket kind, in business hours on screen and minutes on the wire,
// and the days after which solved tickets close. The page itself (login, role check) is admin.js.

import { clear, h } from "../widget/dom.js";
import { api } from "./api.js";

const $ = (selector) => document.querySelector(selector);
const MINUTES_PER_HOUR = 60;

function hours(minutes) {
  return minutes == null ? "" : String(Math.round((minutes / MINUTES_PER_HOUR) * 100) / 100).replace(".", ",");
}

/** "4" or "0,5" hours → minutes; "" → null (no due time); anything else → NaN. */
function minutes(text) {
  const value = text.trim().replace(",", ".");
  if (!value) return null;
  return /^\d+(\.\d+)?$/.test(value) ? Math.round(Number(value) * MINUTES_PER_HOUR) : NaN;
}

async function load() {
  const sla = await api("GET", "/api/admin/ticket-sla");
  const body = $("#ticket-sla");
  clear(body);
  for (const [kind, policy] of Object.entries(sla.policies)) {
    const name = sla.kind_labels[kind] || kind;
    body.appendChild(h("tr", { "data-kind": kind },
      h("th", { scope: "row" }, name),
      h("td", {}, h("input", { name: `${kind}.first`, value: hours(policy.first_response_minutes), inputmode: "decimal", size: "6", "aria-label": `${name}: erste Antwort in Stunden` })),
      h("td", {}, h("input", { name: `${kind}.solution`, value: hours(policy.solution_minutes), inputmode: "decimal", size: "6", "aria-label": `${name}: Lösung in Stunden` })),
      h("td", {}, h("input", { type: "checkbox", name: `${kind}.legal`, checked: policy.legal_month, "aria-label": `${name}: gesetzliche Monatsfrist` }))));
  }
  $("#ticket-sla-form").elements.close_after_days.value = sla.close_after_days;
}

async function save(status) {
  const policies = {};
  for (const row of document.querySelectorAll("#ticket-sla tr[data-kind]")) {
    const kind = row.dataset.kind;
    const first = minutes(row.querySelector(`[name="${kind}.first"]`).value);
    const solution = minutes(row.querySelector(`[name="${kind}.solution"]`).value);
    if (Number.isNaN(first) || Number.isNaN(solution) || first === 0 || solution === 0) {
      status.textContent = `${row.querySelector("th").textContent}: Bitte Stunden als Zahl größer 0 eingeben, z. B. 4 oder 0,5, oder leer lassen.`;
      return;
    }
    policies[kind] = { first_response_minutes: first, solution_minutes: solution, legal_month: row.querySelector(`[name="${kind}.legal"]`).checked };
  }
  const days = $("#ticket-sla-form").elements.close_after_days.value.trim();
  if (!/^\d+$/.test(days)) {
    status.textContent = "Tage bis zum Schließen: bitte eine ganze Zahl eingeben.";
    return;
  }
  await api("PUT", "/api/admin/ticket-sla", { close_after_days: Number(days), policies });
  await load();
  status.textContent = "Gespeichert.";
}

async function start() {
  const status = $("#ticket-sla-status");
  $("#ticket-sla-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "";
    try {
      await save(status);
    } catch (error) {
      status.textContent = error.message;
    }
  });
  try {
    await load();
  } catch (error) {
    status.textContent = error.message;   // not logged in as admin: admin.js says so too
  }
}

start();
