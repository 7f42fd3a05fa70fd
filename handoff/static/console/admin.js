// Admin page: agents (create, role, deactivate), business hours, canned replies. Requires the admin role.

import { clear, h } from "../widget/dom.js";
import { api, csrf, listFrom } from "./api.js";

const PATHS = Object.freeze({
  me: "/api/agent/me",
  agents: "/api/admin/agents",
  hours: "/api/admin/business-hours",
  canned: "/api/admin/canned",
});
const ROLES = Object.freeze({ agent: "Agent", trainer: "Trainer", supervisor: "Supervisor", admin: "Admin" });
const WEEKDAYS = Object.freeze([
  ["mon", "Montag"], ["tue", "Dienstag"], ["wed", "Mittwoch"], ["thu", "Donnerstag"],
  ["fri", "Freitag"], ["sat", "Samstag"], ["sun", "Sonntag"],
]);

const $ = (selector) => document.querySelector(selector);

function report(message) {
  $("#admin-status").textContent = message || "";
}

async function guarded(action) {
  try {
    report("");
    await action();
  } catch (error) {
    report(error.field ? `${error.message} (${error.field})` : error.message);
  }
}

// --- agents -------------------------------------------------------------------------------------------------
async function loadAgents() {
  const agents = listFrom(await api("GET", PATHS.agents), "agents", "items");
  const body = $("#agents");
  clear(body);
  for (const agent of agents) {
    const role = h("select", { "aria-label": `Rolle von ${agent.display_name}`,
      onChange: (event) => guarded(() => updateAgent(agent.id, { role: event.target.value })) },
      Object.entries(ROLES).map(([value, text]) => h("option", { value, selected: value === agent.role }, text)));
    body.appendChild(h("tr", {},
      h("td", {}, agent.display_name), h("td", {}, agent.email), h("td", {}, role),
      h("td", {}, agent.active ? "ja" : "nein"),
      h("td", {}, h("button", { type: "button", class: agent.active ? "danger" : "",
        onClick: () => guarded(() => updateAgent(agent.id, { active: !agent.active })) },
      agent.active ? "Deaktivieren" : "Aktivieren"))));
  }
}

async function updateAgent(id, changes) {
  await api("PUT", `${PATHS.agents}/${encodeURIComponent(id)}`, changes);
  await loadAgents();
}

async function createAgent(form) {
  const data = Object.fromEntries(new FormData(form));
  await api("POST", PATHS.agents, data);
  form.reset();
  await loadAgents();
}

// --- business hours -----------------------------------------------------------------------------------------
function intervalsToText(intervals) {
  return (intervals || []).map(([start, end]) => `${start}-${end}`).join(", ");
}

function textToIntervals(text) {
  return text.split(",").map((part) => part.trim()).filter(Boolean).map((part) => part.split("-").map((time) => time.trim()));
}

async function loadHours() {
  const hours = await api("GET", PATHS.hours);
  const grid = $("#hours");
  clear(grid);
  for (const [key, name] of WEEKDAYS) {
    const id = `hours-${key}`;
    grid.append(h("label", { for: id }, name),
      h("input", { id, name: key, value: intervalsToText(hours.weekly && hours.weekly[key]), placeholder: "geschlossen (z. B. 08:00-20:00)" }));
  }
  const form = $("#hours-form");
  form.elements.time_zone.value = hours.time_zone || "Europe/Berlin";
  form.elements.holidays.value = (hours.holidays || []).join(", ");
}

async function saveHours(form) {
  const weekly = {};
  for (const [key] of WEEKDAYS) {
    weekly[key] = textToIntervals(form.elements[key].value);
  }
  const holidays = form.elements.holidays.value.split(",").map((day) => day.trim()).filter(Boolean);
  await api("PUT", PATHS.hours, { time_zone: form.elements.time_zone.value.trim(), weekly, holidays });
  await loadHours();
  report("Servicezeiten gespeichert.");
}

// --- canned replies -----------------------------------------------------------------------------------------
async function loadCanned() {
  const replies = listFrom(await api("GET", PATHS.canned), "canned", "items", "replies");
  const body = $("#canned");
  clear(body);
  for (const reply of replies) {
    const text = h("textarea", { rows: "2", cols: "40", "aria-label": `Text von /${reply.shortcut}` });
    text.value = reply.text;
    body.appendChild(h("tr", {},
      h("td", {}, `/${reply.shortcut}`), h("td", {}, reply.title), h("td", {}, text),
      h("td", {},
        h("button", { type: "button", onClick: () => guarded(async () => {
          await api("PUT", `${PATHS.canned}/${encodeURIComponent(reply.id)}`, { shortcut: reply.shortcut, title: reply.title, text: text.value });
          await loadCanned();
        }) }, "Speichern"), " ",
        h("button", { type: "button", class: "danger", onClick: () => guarded(async () => {
          await api("DELETE", `${PATHS.canned}/${encodeURIComponent(reply.id)}`);
          await loadCanned();
        }) }, "Löschen"))));
  }
}

async function createCanned(form) {
  await api("POST", PATHS.canned, Object.fromEntries(new FormData(form)));
  form.reset();
  await loadCanned();
}

async function start() {
  try {
    const me = await api("GET", PATHS.me);
    if (me && me.csrf_token) {
      csrf.set(me.csrf_token);
    }
    if ((me.agent || me).role !== "admin") {
      report("Diese Seite ist nur für Admins.");
      return;
    }
  } catch (error) {
    window.location.assign("/console/");
    return;
  }
  for (const [selector, handler] of [["#agent-form", createAgent], ["#hours-form", saveHours], ["#canned-form", createCanned]]) {
    $(selector).addEventListener("submit", (event) => { event.preventDefault(); guarded(() => handler(event.target)); });
  }
  await guarded(() => Promise.all([loadAgents(), loadHours(), loadCanned()]));
}

start();
