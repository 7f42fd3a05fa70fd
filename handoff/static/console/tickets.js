// The ticket inbox: every ticket with kind, status, contact, age, owner, due time and summary; filters with counts,
// sorted by due time (the server sorts); live: ticket events on the agent socket refetch the list.

import { clear, h } from "../widget/dom.js";
import { notify } from "./alerts.js";
import { api } from "./api.js";
import { formatWaiting } from "./labels.js";
import { TicketDetail } from "./ticket_detail.js";

const REFRESH_DEBOUNCE_MS = 150;
// Due times pass without any event: the list and the header's counts are fetched again this often.
const DUE_REFRESH_MS = 20_000;
export const TICKET_EVENTS = new Set(["ticket_created", "ticket_changed", "ticket_reminder"]);
const DUE_LABELS = Object.freeze({ overdue: "überfällig", soon: "bald fällig", ok: "fällig" });
const OWNER_LABELS = Object.freeze({ "": "alle", me: "meine", none: "ohne Bearbeiter" });

export function formatDue(iso) {
  if (!iso) return "–";
  const date = new Date(iso);
  return date.toLocaleString("de-DE", { weekday: "short", day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" });
}

export class TicketsView {
  /** @param {object} options root (element), me() → agent, onDue(counts), onOpenConversation(id) */
  constructor({ root, me, onDue, onOpenConversation }) {
    this.root = root;
    this.me = me;
    this.onDue = onDue;
    this.filters = { status: "active", kind: "", owner: "" };
    this.data = null;
    this.timer = null;
    this.openId = null;
    this.list = h("ul", { class: "ticket-list", "aria-live": "polite" });
    this.filterBar = h("div", { class: "ticket-filters", role: "group", "aria-label": "Filter" });
    this.error = h("p", { class: "error", role: "alert" });
    this.detail = new TicketDetail({ me, onChanged: () => this.scheduleRefresh(), onOpenConversation,
      onOpenTicket: (id) => this.openTicket(id) });
    setInterval(() => { if (this.me()) this.refresh(); }, DUE_REFRESH_MS);
    root.append(h("section", { class: "ticket-inbox", "aria-labelledby": "tickets-title" },
      h("h2", { id: "tickets-title" }, "Tickets ", h("span", { id: "tickets-count", class: "count" }, "0")),
      this.filterBar, this.error, this.list), this.detail.element);
  }

  scheduleRefresh() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  async refresh() {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(this.filters)) {
      if (value) query.set(key, value);
    }
    try {
      this.data = await api("GET", `/api/agent/tickets?${query}`);
      this.error.textContent = "";
    } catch (error) {
      this.error.textContent = error.message;
      return;
    }
    this.render();
    this.onDue(this.data.due);
    const shown = this.detail.data && this.detail.data.ticket;
    const listed = this.data.tickets.find((ticket) => ticket.id === this.openId);
    // Re-render the open ticket only when it changed (or left the filtered list): not on every refresh.
    const changed = this.openChanged;
    this.openChanged = false;
    if (this.openId && shown && (changed || !listed || listed.updated_at !== shown.updated_at || listed.due_state !== shown.due_state)) {
      this.detail.reload().catch(() => undefined);
    }
  }

  onEvent(event) {
    if (TICKET_EVENTS.has(event.type)) {
      // An event about the open ticket redraws it even when the row looks the same (an article added elsewhere).
      this.openChanged ||= event.ticket_id === this.openId;
      const me = this.me();
      if (event.type === "ticket_reminder" && me && event.owner_id === me.id) {
        notify("Erinnerung", `Ticket NW#${event.number}: die Wartezeit ist abgelaufen.`);
      }
      this.scheduleRefresh();
    }
  }

  render() {
    const { tickets, counts, labels } = this.data;
    document.querySelector("#tickets-count").textContent = String(counts.status[this.filters.status || "active"] ?? tickets.length);
    clear(this.filterBar);
    const statusOptions = [["active", "aktiv"], ["all", "alle"], ...Object.entries(labels.status)];
    this.filterBar.append(
      this.select("status", "Status", statusOptions.map(([value, text]) => [value, `${text} (${counts.status[value] ?? 0})`])),
      this.select("kind", "Art", [["", "alle Arten"], ...Object.entries(labels.kind).map(([value, text]) => [value, `${text} (${counts.kind[value] ?? 0})`])]),
      this.select("owner", "Bearbeitung", Object.entries(OWNER_LABELS).map(([value, text]) => [value,
        value === "" ? text : `${text} (${counts.owner[value] ?? 0})`])));
    clear(this.list);
    if (!tickets.length) {
      this.list.appendChild(h("li", { class: "empty" }, "Keine Tickets für diesen Filter."));
      return;
    }
    for (const ticket of tickets) {
      this.list.appendChild(this.row(ticket));
    }
  }

  select(name, text, options) {
    const id = `ticket-filter-${name}`;
    const element = h("select", { id, name, onChange: (event) => { this.filters[name] = event.target.value; this.refresh(); } },
      ...options.map(([value, label]) => h("option", { value, selected: this.filters[name] === value }, label)));
    return h("label", { for: id, class: "ticket-filter" }, text, element);
  }

  row(ticket) {
    const due = ticket.due_state ? `${DUE_LABELS[ticket.due_state]} ${formatDue(ticket.due_at)}` : (ticket.pending_until ? `Erinnerung ${formatDue(ticket.pending_until)}` : "–");
    return h("li", { class: `ticket-row due--${ticket.due_state || "none"}`, "data-ticket-id": ticket.id, "data-due-state": ticket.due_state || "" },
      h("button", { type: "button", class: "ticket-open", "aria-current": String(ticket.id === this.openId), onClick: () => this.openTicket(ticket.id) },
        h("span", { class: "ticket-line" },
          h("strong", {}, ticket.reference),
          h("span", { class: `status status--ticket-${ticket.status}` }, ticket.status_label),
          h("span", { class: "chip" }, ticket.kind_label),
          h("span", { class: "ticket-age muted" }, `seit ${formatWaiting(ticket.age_seconds)}`)),
        h("span", { class: "ticket-summary" }, ticket.summary || ticket.note || "(ohne Text)"),
        h("span", { class: "ticket-line muted" },
          h("span", {}, ticket.email || ticket.customer_name || "kein Kontakt"),
          h("span", {}, ticket.owner_name ? `bei ${ticket.owner_name}` : "ohne Bearbeiter"),
          h("span", { class: "ticket-due" }, due))));
  }

  async openTicket(id) {
    this.openId = id;
    for (const button of this.list.querySelectorAll(".ticket-open")) {
      button.setAttribute("aria-current", String(button.closest("[data-ticket-id]").dataset.ticketId === id));
    }
    await this.detail.open(id);
  }
}
