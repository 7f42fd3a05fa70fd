// Admin page panels for issue 14: goodwill limits per kind (in euros on screen, cents on the wire) and how problem
// reports are grouped into incidents. The page itself (login, role check) is admin.js.

import { clear, h } from "../widget/dom.js";
import { api } from "./api.js";
import { centsToEuro, euroToCents } from "./goodwill.js";

const $ = (selector) => document.querySelector(selector);
const euros = (cents) => centsToEuro(cents).replace(/\s*€$/, "");

async function loadLimits() {
  const limits = await api("GET", "/api/admin/goodwill/limits");
  const body = $("#goodwill-limits");
  clear(body);
  for (const [kind, limit] of Object.entries(limits)) {
    body.appendChild(h("tr", { "data-kind": kind },
      h("th", { scope: "row" }, limit.label),
      h("td", {}, h("input", { name: `${kind}.per_case`, value: euros(limit.per_case_cents), inputmode: "decimal", size: "10", "aria-label": `${limit.label}: Limit pro Fall in €` })),
      h("td", {}, h("input", { name: `${kind}.per_month`, value: euros(limit.per_agent_month_cents), inputmode: "decimal", size: "10", "aria-label": `${limit.label}: Limit pro Agent und Monat in €` }))));
  }
}

async function saveLimits(status) {
  const limits = {};
  for (const row of document.querySelectorAll("#goodwill-limits tr[data-kind]")) {
    const kind = row.dataset.kind;
    const perCase = euroToCents(row.querySelector(`[name="${kind}.per_case"]`).value);
    const perMonth = euroToCents(row.querySelector(`[name="${kind}.per_month"]`).value);
    if (perCase === null || perMonth === null) {
      status.textContent = `${row.querySelector("th").textContent}: Bitte Beträge in Euro eingeben, z. B. 20,00.`;
      return;
    }
    limits[kind] = { per_case_cents: perCase, per_agent_month_cents: perMonth };
  }
  await api("PUT", "/api/admin/goodwill/limits", limits);
  await loadLimits();
  status.textContent = "Gespeichert.";
}

async function loadGrouping() {
  const grouping = await api("GET", "/api/admin/incidents/settings");
  const form = $("#incident-grouping-form");
  form.elements.min_reports.value = grouping.min_reports;
  form.elements.window_minutes.value = grouping.window_minutes;
  form.elements.similarity.value = Math.round(grouping.similarity * 100);
}

async function saveGrouping(status) {
  const form = $("#incident-grouping-form");
  const whole = (name) => (/^\d+$/.test(form.elements[name].value.trim()) ? Number(form.elements[name].value) : NaN);
  const body = { min_reports: whole("min_reports"), window_minutes: whole("window_minutes"), similarity: whole("similarity") / 100 };
  if (Object.values(body).some(Number.isNaN)) {
    status.textContent = "Bitte ganze Zahlen eingeben.";
    return;
  }
  await api("PUT", "/api/admin/incidents/settings", body);
  await loadGrouping();
  status.textContent = "Gespeichert.";
}

function bind(formId, statusId, save) {
  const status = $(statusId);
  $(formId).addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "";
    try {
      await save(status);
    } catch (error) {
      status.textContent = error.field ? `${error.message} (${error.field})` : error.message;
    }
  });
}

async function start() {
  bind("#goodwill-limits-form", "#goodwill-limits-status", saveLimits);
  bind("#incident-grouping-form", "#incident-grouping-status", saveGrouping);
  try {
    await Promise.all([loadLimits(), loadGrouping()]);
  } catch (error) {
    $("#goodwill-limits-status").textContent = error.message;   // not logged in as admin: admin.js says so too
  }
}

start();
