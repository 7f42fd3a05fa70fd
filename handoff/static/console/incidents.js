// Incidents in the console: the sidebar list of open incidents (live), and a dialog with the reports, why each was
// grouped, the owner, and closing with a note to everyone who reported it.

import { clear, h, uniqueId } from "../widget/dom.js";
import { api } from "./api.js";

const LIVE_EVENTS = new Set(["incident_changed", "ticket_created"]);
const REFRESH_DEBOUNCE_MS = 200;
const NOTE_MAX = 2000;
const SUPERVISING = new Set(["supervisor", "admin"]);

const dateTime = (iso) => {
  const date = new Date(iso || "");
  return Number.isNaN(date.getTime()) ? "–" : date.toLocaleString("de-DE", { day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" });
};
const percent = (value) => (typeof value === "number" ? `${Math.round(value * 100)} %` : "–");

export class IncidentsPanel {
  /** @param {object} deps {list: <ul>, counter: element, me: () => agent, onOpenConversation(id)} */
  constructor(deps) {
    this.deps = deps;
    this.timer = null;
    this.current = null;
    this.status = "open";
    this.toggle = h("button", { type: "button", class: "ghost incidents-toggle", onClick: () => this.switchStatus() }, "Geschlossene anzeigen");
    deps.list.after(this.toggle);
    this.dialog = this.buildDialog();
    document.body.appendChild(this.dialog);
  }

  switchStatus() {
    this.status = this.status === "open" ? "closed" : "open";
    this.toggle.textContent = this.status === "open" ? "Geschlossene anzeigen" : "Offene anzeigen";
    this.refresh();
  }

  async refresh() {
    try {
      const data = await api("GET", `/api/agent/incidents?status=${this.status}`);
      // Only the list: the open dialog is re-rendered by the agent's own actions, never under their typing.
      this.render(data.incidents || [], data.open_count || 0);
    } catch (error) {
      this.deps.list.replaceChildren(h("li", { class: "empty error" }, error.message));
    }
  }

  onEvent(event) {
    if (LIVE_EVENTS.has(event.type)) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.refresh(), REFRESH_DEBOUNCE_MS);
    }
  }

  render(incidents, openCount) {
    const list = this.deps.list;
    clear(list);
    this.deps.counter.textContent = String(openCount);
    this.deps.counter.dataset.alert = String(openCount > 0);
    if (!incidents.length) {
      list.appendChild(h("li", { class: "empty" }, this.status === "open" ? "Keine offene Störung." : "Keine geschlossene Störung."));
      return;
    }
    for (const incident of incidents) {
      list.appendChild(h("li", { class: "incident-item", "data-incident-id": incident.id },
        h("button", { type: "button", class: "incident-open", onClick: () => this.show(incident.id) },
          h("span", { class: "incident-head" }, h("strong", {}, incident.category_label),
            h("span", { class: "incident-count" }, `${incident.report_count} Meldungen`)),
          h("q", { class: "first-message" }, incident.title),
          h("span", { class: "muted" }, `seit ${dateTime(incident.first_reported_at)} · zuletzt ${dateTime(incident.last_reported_at)} · `,
            incident.status === "closed" ? `geschlossen ${dateTime(incident.closed_at)}`
              : incident.owner_name ? `betreut von ${incident.owner_name}` : "noch ohne Verantwortliche"))));
    }
  }

  buildDialog() {
    this.body = h("div", { class: "incident-body" });
    this.hint = h("p", { class: "error", role: "alert" });
    this.title = h("h2", { id: uniqueId("incident-title") });
    return h("dialog", { class: "incident-dialog", "aria-labelledby": this.title.id },
      h("header", { class: "incident-dialog-head" }, this.title,
        h("button", { type: "button", class: "ghost", "aria-label": "Schließen", onClick: () => this.dialog.close() }, "✕")),
      this.hint, this.body);
  }

  async show(incidentId) {
    this.current = incidentId;
    this.hint.textContent = "";
    try {
      this.renderDetail(await api("GET", `/api/agent/incidents/${encodeURIComponent(incidentId)}`));
    } catch (error) {
      this.hint.textContent = error.message;
    }
    if (!this.dialog.open) {
      this.dialog.showModal();
    }
  }

  renderDetail(detail) {
    const incident = detail.incident;
    const me = this.deps.me() || {};
    const grouping = detail.grouping || {};
    this.title.textContent = `Störung: ${incident.category_label}`;
    clear(this.body);
    this.body.append(
      h("dl", { class: "facts" },
        h("dt", {}, "Status"), h("dd", {}, h("span", { class: `status status--incident-${incident.status}` }, incident.status_label)),
        h("dt", {}, "Erste Meldung"), h("dd", {}, dateTime(incident.first_reported_at)),
        h("dt", {}, "Letzte Meldung"), h("dd", {}, dateTime(incident.last_reported_at)),
        h("dt", {}, "Meldungen"), h("dd", {}, String(incident.report_count)),
        h("dt", {}, "Verantwortlich"), h("dd", { class: "incident-owner" }, incident.owner_name || "niemand"),
        h("dt", {}, "Gruppiert nach"), h("dd", {}, `Kategorie + Textähnlichkeit ab ${percent(grouping.similarity)}, `
          + `ab ${grouping.min_reports} Kunden in ${grouping.window_minutes} Minuten`)),
      ...(incident.close_note ? [h("p", { class: "muted" }, `Nachricht an die Meldenden: ${incident.close_note}`)] : []),
      this.reportsTable(detail.reports || []));
    if (incident.status !== "open") {
      return;
    }
    const actions = h("div", { class: "actions" });
    if (incident.owner_id !== me.id) {
      actions.appendChild(h("button", { type: "button", class: "primary", onClick: () => this.act("assign", {}) }, "Übernehmen"));
    }
    if (SUPERVISING.has(me.role) && incident.owner_id) {
      actions.appendChild(h("button", { type: "button", onClick: () => this.act("assign", { unassign: true }) }, "Freigeben"));
    }
    const noteId = uniqueId("incident-note");
    // Proposed, because the customers who were told "known" were promised news here; the agent may change or clear it.
    const note = h("textarea", { id: noteId, rows: "3", maxlength: String(NOTE_MAX) });
    note.value = detail.proposed_close_note || "";
    const form = h("form", { class: "incident-close", onSubmit: (event) => { event.preventDefault(); this.act("close", { note: note.value }); } },
      h("label", { for: noteId }, "Nachricht an alle Meldenden (optional, erscheint in ihrem Chat)"), note,
      h("button", { type: "submit", class: "danger" }, "Störung schließen"));
    this.body.append(actions, form);
  }

  reportsTable(reports) {
    return h("table", { class: "incident-reports" },
      h("caption", { class: "sr-only" }, "Meldungen und warum sie zusammengefasst wurden"),
      h("thead", {}, h("tr", {}, ["Zeit", "Meldung", "Was der Kunde schrieb", "Warum gruppiert", ""].map((title) => h("th", { scope: "col" }, title)))),
      h("tbody", {}, reports.map((report) => h("tr", { "data-ticket-id": report.ticket_id },
        h("td", {}, dateTime(report.reported_at)),
        h("td", {}, report.reference),
        h("td", {}, h("q", {}, report.text)),
        h("td", { class: "incident-reason" }, report.reason),
        h("td", {}, report.conversation_id ? h("button", { type: "button", onClick: () => { this.dialog.close(); this.deps.onOpenConversation(report.conversation_id); } }, "Gespräch") : null)))));
  }

  async act(action, body) {
    this.hint.textContent = "";
    try {
      this.renderDetail(await api("POST", `/api/agent/incidents/${encodeURIComponent(this.current)}/${action}`, body));
      await this.refresh();
    } catch (error) {
      this.hint.textContent = error.message;
    }
  }
}
