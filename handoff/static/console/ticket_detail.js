// One ticket: head with status, owner and due times; actions; what the customer told us (summary, details,
// transcript); the history (articles); an answer or an internal note. Other areas add panels with registerTicketPanel.

import { clear, formatTime, h } from "../widget/dom.js";
import { api } from "./api.js";
import { REASONS, SLOTS, label } from "./labels.js";
import { reasonChips, summaryFacts } from "./summary.js";

const ARTICLE_LABELS = Object.freeze({ customer: "Kunde", reply: "Antwort", note: "Interne Notiz", state_change: "Status", system: "System" });
const CHANNEL_LABELS = Object.freeze({ console: "Konsole", widget: "Chat-Widget", email: "E-Mail", system: "System" });
const DETAIL_LABELS = Object.freeze({ ...SLOTS, problem: "Gemeldetes Problem", category: "Kategorie", reasons: "Gründe", problem_description: "Problem", problem_category: "Kategorie" });
const panels = [];

/** Another area's panel in the detail view: render(detail, container) is called after each load. */
export function registerTicketPanel(render) {
  panels.push(render);
}

function when(iso) {
  if (!iso) return "–";
  return new Date(iso).toLocaleString("de-DE", { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** A due time, or why there is none (no target for this kind, or a calendar without opening hours). */
function dueText(iso) {
  return iso ? when(iso) : "keine Frist";
}

export class TicketDetail {
  constructor({ me, onChanged, onOpenConversation, onOpenTicket }) {
    this.me = me;
    this.onChanged = onChanged;
    this.onOpenConversation = onOpenConversation;
    this.onOpenTicket = onOpenTicket;
    this.id = null;
    this.data = null;
    this.colleagues = null;
    // What the agent is typing survives live re-renders (a colleague's change, the periodic refresh).
    this.drafts = new Map();
    this.flash = { text: "", error: false };
    this.element = h("section", { class: "ticket-detail", "aria-label": "Ticket" },
      h("p", { class: "placeholder" }, "Wählen Sie ein Ticket aus der Liste."));
  }

  async open(id) {
    this.id = id;
    this.flash = { text: "", error: false };
    await this.reload();
  }

  async reload() {
    if (!this.id) return;
    const id = this.id;
    // Reloads overlap (an action's own, a live event's): only the newest may draw, or an older answer arriving
    // late would draw over a newer one.
    const load = this.loads = (this.loads || 0) + 1;
    const data = await api("GET", `/api/agent/tickets/${encodeURIComponent(id)}`);
    if (this.colleagues === null) {
      this.colleagues = (await api("GET", "/api/agent/tickets/colleagues").catch(() => ({ colleagues: [] }))).colleagues;
    }
    if (id === this.id && load === this.loads) {
      this.data = data;
      this.render();
    }
  }

  async act(path, body, success) {
    try {
      await api("POST", `/api/agent/tickets/${encodeURIComponent(this.id)}/${path}`, body || {});
      this.flash = { text: success || "", error: false };   // shown by the re-render that follows
      await this.reload();
      this.onChanged();
      return true;
    } catch (error) {
      this.showError(error.message);
      return false;
    }
  }

  showError(message) {
    this.flash = { text: message, error: true };
    this.hint.textContent = message;
    this.hint.classList.add("error");
  }

  render() {
    const { ticket, articles, transcript, handoff, details, related } = this.data;
    const me = this.me();
    const typing = document.activeElement && document.activeElement.classList.contains("ticket-text");
    clear(this.element);
    this.hint = h("p", { class: `hint ticket-hint${this.flash.error ? " error" : ""}`, role: "status" }, this.flash.text);
    const head = h("div", { class: "ticket-head" },
      h("h2", {}, `${ticket.reference} · ${ticket.kind_label}`),
      h("span", { class: `status status--ticket-${ticket.status}`, "data-status": ticket.status }, ticket.status_label),
      ticket.due_state ? h("span", { class: `due-badge due-badge--${ticket.due_state}` }, ticket.due_state === "overdue" ? "überfällig" : ticket.due_state === "soon" ? "bald fällig" : "im Plan") : null);
    const facts = h("dl", { class: "facts" },
      h("dt", {}, "Kontakt"), h("dd", {}, ticket.email || "keine E-Mail-Adresse hinterlassen"),
      h("dt", {}, "Bearbeitung"), h("dd", {}, ticket.owner_name || "niemand"),
      h("dt", {}, "Angelegt"), h("dd", {}, `${when(ticket.created_at)} (${CHANNEL_LABELS[ticket.channel] || ticket.channel})`),
      h("dt", {}, "Erste Antwort fällig"), h("dd", {}, ticket.first_response_at ? `beantwortet ${when(ticket.first_response_at)}` : dueText(ticket.first_response_due_at)),
      h("dt", {}, "Lösung fällig"), h("dd", {}, dueText(ticket.solution_due_at)),
      ticket.pending_until ? [h("dt", {}, "Erinnerung"), h("dd", {}, when(ticket.pending_until))] : null,
      ticket.follow_up_of_id ? [h("dt", {}, "Folgeticket von"), h("dd", {}, h("button", { type: "button", class: "link-button", onClick: () => this.onOpenTicket(ticket.follow_up_of_id) }, "vorheriges Ticket öffnen"))] : null);
    this.element.append(head, facts, this.actions(ticket, me, related), this.hint);

    const about = h("section", { class: "about" }, h("h3", {}, "Worum es geht"),
      h("p", { class: "ticket-summary-text" }, ticket.summary || ticket.note || "(ohne Text)"));
    if (handoff) {
      // The handoff summary: reasons, topics and how the conversation went (the collected details follow).
      about.append(reasonChips(handoff.reasons), summaryFacts({ topics: handoff.summary.topics, escalation: handoff.summary.escalation }));
    }
    const detailEntries = Object.entries(details || {}).filter(([key, value]) => value !== null && value !== "" && !(Array.isArray(value) && !value.length)
      && !(handoff && key === "reasons"));   // the reasons are the chips above
    if (detailEntries.length) {
      about.append(h("dl", { class: "facts ticket-details" }, ...detailEntries.flatMap(([key, value]) => [
        h("dt", {}, DETAIL_LABELS[key] || key), h("dd", {}, Array.isArray(value) ? value.map((code) => label(REASONS, code)).join(", ") : String(value))])));
    }
    if (ticket.conversation_id) {
      about.append(h("button", { type: "button", class: "ghost open-conversation", onClick: () => this.onOpenConversation(ticket.conversation_id) }, "Gespräch öffnen"));
    }
    this.element.append(about);

    const extensions = h("div", { class: "ticket-extensions" });
    this.element.append(extensions);
    for (const render of panels) {
      try { render(this.data, extensions); } catch (error) { /* one panel must not break the ticket */ }
    }

    this.element.append(h("section", { class: "ticket-history" }, h("h3", {}, "Verlauf"),
      h("ol", { class: "articles" }, ...articles.map((article) => this.article(article)))));
    if (transcript && transcript.length) {
      this.element.append(h("details", { class: "ticket-transcript" }, h("summary", {}, `Chatverlauf (${transcript.length} Nachrichten)`),
        h("ol", { class: "transcript" }, ...transcript.map((message) => h("li", { class: `msg msg--${message.private ? "note" : message.sender_type}` },
          h("div", { class: "msg-head" }, h("span", { class: "msg-sender" }, message.sender_name || label({ customer: "Kunde", bot: "Bot", system: "System", agent: "Agent" }, message.sender_type)), h("span", {}, formatTime(message.created_at))),
          h("p", { class: "msg-text" }, message.text || ""))))));
    }
    this.element.append(this.composer(ticket));
    if (typing) this.element.querySelector(".ticket-text").focus();
  }

  article(article) {
    const sender = article.author_name || ARTICLE_LABELS[article.kind] || article.kind;
    return h("li", { class: `article article--${article.kind}`, "data-kind": article.kind },
      h("div", { class: "msg-head" }, h("span", { class: "msg-sender" }, `${ARTICLE_LABELS[article.kind] || article.kind} · ${sender}`),
        h("span", {}, `${CHANNEL_LABELS[article.channel] || article.channel} · ${when(article.created_at)}`)),
      article.text ? h("p", { class: "msg-text" }, article.text) : null);
  }

  actions(ticket, me, related) {
    const bar = h("div", { class: "actions ticket-actions" });
    const status = ticket.status;
    const active = ["new", "open", "pending", "solved"].includes(status);
    if (["new", "open", "pending"].includes(status) && ticket.owner_id !== me.id && !ticket.owner_id) {
      bar.append(h("button", { type: "button", class: "primary", onClick: () => this.act("claim", {}, "Übernommen.") }, "Übernehmen"));
    }
    if (["new", "open", "pending"].includes(status)) {
      const select = h("select", { "aria-label": "Kollegin oder Kollege" }, h("option", { value: "" }, "Zuweisen an …"),
        ...(this.colleagues || []).filter((c) => c.id !== ticket.owner_id).map((c) => h("option", { value: c.id }, c.display_name)));
      select.addEventListener("change", () => { if (select.value) this.act("assign", { assignee_id: select.value }, "Zugewiesen."); });
      const until = h("input", { type: "datetime-local", "aria-label": "Erinnerung am" });
      bar.append(select, h("span", { class: "pending-form" }, until,
        h("button", { type: "button", onClick: () => {
          if (!until.value) { this.showError("Bitte eine Erinnerungszeit wählen."); return; }
          this.act("pending", { until: new Date(until.value).toISOString() }, "Wartet auf die Kundin oder den Kunden.");
        } }, "Wartend bis")),
      h("button", { type: "button", onClick: () => this.act("solve", {}, "Gelöst.") }, "Lösen"));
    }
    if (["solved", "pending"].includes(status)) {
      bar.append(h("button", { type: "button", onClick: () => this.act("reopen", {}, "Wieder geöffnet.") }, "Wieder öffnen"));
    }
    const targets = (related || []).filter((other) => ["new", "open", "pending", "solved"].includes(other.status));
    if (active && targets.length) {
      const into = h("select", { "aria-label": "Zusammenführen in" }, h("option", { value: "" }, "Zusammenführen in …"),
        ...targets.map((other) => h("option", { value: other.id }, `${other.reference} (${other.status_label})`)));
      into.addEventListener("change", () => { if (into.value) this.act("merge", { into_ticket_id: into.value }, "Zusammengeführt."); });
      bar.append(into);
    }
    return bar;
  }

  composer(ticket) {
    const text = h("textarea", { class: "ticket-text", rows: "4", "aria-label": "Antwort oder Notiz", placeholder: "Antwort an die Kundin / den Kunden oder interne Notiz …", maxlength: "10000" });
    text.value = this.drafts.get(ticket.id) || "";
    text.addEventListener("input", () => this.drafts.set(ticket.id, text.value));
    const canAnswer = ["new", "open", "pending"].includes(ticket.status);
    const send = async (path, success) => {
      if (!text.value.trim()) { this.showError("Bitte einen Text eingeben."); return; }
      const sent = text.value;
      if (await this.act(path, { text: sent }, success) && this.drafts.get(ticket.id) === sent) {
        this.drafts.delete(ticket.id);
        this.element.querySelector(".ticket-text").value = "";
      }
    };
    const where = ticket.conversation_id ? "Die Antwort erscheint im Chat-Widget der Kundin / des Kunden." : "Die Antwort geht an die E-Mail-Adresse.";
    return h("div", { class: "composer ticket-composer" }, text,
      h("div", { class: "composer-bar" }, h("span", { class: "muted" }, canAnswer ? where : "Antworten ist erst nach dem Wiederöffnen möglich."),
        h("span", { class: "actions" },
          h("button", { type: "button", onClick: () => send("notes", "Notiz gespeichert.") }, "Interne Notiz"),
          h("button", { type: "button", class: "primary", disabled: !canAnswer, onClick: () => send("answer", "Antwort gesendet.") }, "Antworten"))));
  }
}
