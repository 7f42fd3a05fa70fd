// One open conversation in the console: what it is about, the transcript, live chat, notes and the actions.

import { clear, h, newClientId, uniqueId } from "../widget/dom.js";
import { api } from "./api.js";
import { CannedAutocomplete } from "./canned.js";
import { GoodwillSection } from "./goodwill.js";
import { STATUSES, label } from "./labels.js";
import { reasonChips, summaryFacts, toneBadge } from "./summary.js";
import { Transcript } from "./transcript.js";

const TYPING_SEND_EVERY_MS = 3000;
const TYPING_SHOWN_MS = 6000;
const MESSAGES = Object.freeze({
  claimedByOther: "Jemand anderes hat dieses Gespräch bereits übernommen.",
  claimFirst: "Übernehmen Sie das Gespräch, um zu antworten. Interne Notizen gehen immer.",
  customerTyping: "Kunde schreibt …",
  deleted: "Dieses Gespräch wurde gelöscht.",
});

export class ConversationPane {
  /** @param {object} deps {id, me, socket, canned: () => [], onChanged(), onClosed(id)} */
  constructor(deps) {
    this.deps = deps;
    this.id = deps.id;
    this.status = null;
    this.assigneeId = null;
    this.lastTypingSent = 0;
    this.typingTimer = null;
    this.build();
  }

  build() {
    const inputId = uniqueId("composer");
    this.statusBadge = h("span", { class: "status" });
    this.actions = h("div", { class: "actions" });
    this.about = h("section", { class: "about", "aria-label": "Worum es geht" });
    this.list = h("ol", { class: "transcript", "aria-label": "Verlauf", "aria-live": "polite", "aria-relevant": "additions" });
    this.transcript = new Transcript(this.list);
    this.typing = h("p", { class: "typing", hidden: true }, MESSAGES.customerTyping);
    this.hint = h("p", { class: "hint", role: "status" });
    this.input = h("textarea", { id: inputId, rows: "3", maxlength: "2000", placeholder: "Antwort schreiben … (/ für Textbausteine)" });
    this.noteToggle = h("input", { type: "checkbox", id: `${inputId}-note`, onChange: () => this.updateComposer() });
    this.autocomplete = new CannedAutocomplete(this.input, this.deps.canned);
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener("input", () => this.sendTyping());
    this.sendButton = h("button", { type: "submit", class: "primary" }, "Senden");
    this.composer = h("form", { class: "composer", onSubmit: (event) => { event.preventDefault(); this.submit(); } },
      h("label", { for: inputId, class: "sr-only" }, "Nachricht an den Kunden"),
      h("div", { class: "composer-field" }, this.input, this.autocomplete.list),
      h("div", { class: "composer-bar" },
        h("label", { class: "note-toggle" }, this.noteToggle, " Interne Notiz (nur für das Team)"),
        this.sendButton));
    this.element = h("section", { class: "conversation", "data-conversation-id": this.id, "aria-label": `Gespräch ${this.shortId}` },
      h("header", { class: "conversation-head" },
        h("h2", {}, `Gespräch ${this.shortId}`), this.statusBadge, this.actions),
      this.about,
      this.list, this.typing, this.hint, this.composer, new GoodwillSection({ conversationId: this.id }).element);
  }

  get shortId() {
    return this.id.slice(0, 8);
  }

  async load() {
    await this.catchUp();
    this.deps.socket.subscribe(this.id);
  }

  /** Fetch the whole conversation again; the transcript skips what it already shows (after a reconnect). */
  async catchUp() {
    const detail = await api("GET", `/api/agent/conversations/${encodeURIComponent(this.id)}`);
    const conversation = detail.conversation || detail;
    this.renderAbout(detail);
    const messages = [...(detail.transcript || detail.messages || []), ...(detail.notes || [])];
    messages.sort((a, b) => a.seq - b.seq).forEach((message) => this.transcript.add(message));
    this.setState(conversation.status, conversation.assignee_id);
  }

  renderAbout(detail) {
    clear(this.about);
    const handoff = detail.handoff || (Array.isArray(detail.handoffs) ? detail.handoffs[detail.handoffs.length - 1] : null);
    this.about.appendChild(h("h3", {}, "Worum es geht"));
    if (!handoff) {
      this.about.appendChild(h("p", { class: "muted" }, "Keine Übergabe – das Gespräch lief bisher nur mit dem Bot."));
      return;
    }
    const summary = handoff.summary || {};
    const lastMessages = summary.last_customer_messages || [];
    this.about.append(
      h("div", { class: "about-row" }, reasonChips(handoff.reasons), toneBadge(null, handoff.rolling_tone)),
      summaryFacts(summary) || h("p", { class: "muted" }, "Keine weiteren Angaben erkannt."),
      lastMessages.length ? h("div", { class: "last-messages" }, h("p", { class: "muted" }, "Letzte Nachrichten des Kunden:"),
        h("ul", {}, lastMessages.map((text) => h("li", {}, h("q", {}, text))))) : null);
    const detailLines = (handoff.reasons || []).map((reason) => reason.detail).filter(Boolean);
    if (detailLines.length) {
      this.about.appendChild(h("p", { class: "muted" }, detailLines.join(" · ")));
    }
  }

  get isMine() {
    return this.status === "agent" && this.assigneeId === this.deps.me().id;
  }

  setState(status, assigneeId) {
    this.status = status;
    this.assigneeId = assigneeId === undefined ? this.assigneeId : assigneeId;
    this.statusBadge.textContent = label(STATUSES, status);
    this.statusBadge.className = `status status--${status}`;
    clear(this.actions);
    if (status === "queued") {
      this.actions.appendChild(this.actionButton("Übernehmen", "claim", "primary"));
    }
    if (this.isMine) {
      this.actions.append(
        this.actionButton("An Bot zurückgeben", "handback"),
        this.actionButton("Zurück in die Warteschlange", "transfer"),
        this.actionButton("Erledigt", "resolve", "primary"));
    }
    this.actions.appendChild(h("button", { type: "button", class: "ghost", onClick: () => this.deps.onClosed(this.id) }, "Schließen"));
    this.updateComposer();
  }

  updateComposer() {
    const canReply = this.isMine;
    const writingNote = this.noteToggle.checked;
    this.sendButton.textContent = writingNote ? "Notiz speichern" : "Senden";
    this.sendButton.disabled = !canReply && !writingNote;
    this.input.classList.toggle("as-note", writingNote);
    this.hint.textContent = canReply || writingNote || this.status === "deleted" ? "" : MESSAGES.claimFirst;
  }

  actionButton(text, action, style = "") {
    return h("button", { type: "button", class: style, "data-action": action, onClick: () => this.run(action) }, text);
  }

  async run(action) {
    try {
      const result = await api("POST", `/api/agent/conversations/${encodeURIComponent(this.id)}/${action}`, {});
      const conversation = (result && (result.conversation || result)) || {};
      if (conversation.status) {
        this.setState(conversation.status, conversation.assignee_id);
      }
      if (action === "claim") {
        this.input.focus();
      }
      this.deps.onChanged();
    } catch (error) {
      this.hint.textContent = error.status === 409 && action === "claim" ? MESSAGES.claimedByOther : error.message;
    }
  }

  async submit() {
    const text = this.input.value.trim();
    if (!text || this.autocomplete.isOpen) {
      return;
    }
    const asNote = this.noteToggle.checked;
    if (!asNote && !this.isMine) {
      this.hint.textContent = MESSAGES.claimFirst;
      return;
    }
    const path = `/api/agent/conversations/${encodeURIComponent(this.id)}/${asNote ? "notes" : "messages"}`;
    try {
      const result = await api("POST", path, asNote ? { text } : { text, client_id: newClientId() });
      this.input.value = "";
      this.hint.textContent = "";
      this.lastTypingSent = 0; // a sent message ends the typing burst; the next keystroke announces a new one
      this.transcript.add((result && (result.message || result.note)) || result);
    } catch (error) {
      this.hint.textContent = error.message;
    }
  }

  sendTyping() {
    const now = Date.now();
    if (!this.isMine || this.noteToggle.checked || now - this.lastTypingSent < TYPING_SEND_EVERY_MS) {
      return;
    }
    this.lastTypingSent = now;
    if (!this.deps.socket.send({ type: "typing", conversation_id: this.id })) {
      api("POST", `/api/agent/conversations/${encodeURIComponent(this.id)}/typing`, {}).catch(() => undefined);
    }
  }

  /** A bus event for this conversation (see handoff/services/__init__.py for the payloads). */
  onEvent(event) {
    if (event.type === "message" || event.type === "note") {
      const message = event.detail || event.message;
      if (this.transcript.add(message) && message.sender_type === "customer") {
        this.typing.hidden = true;
      }
    } else if (event.type === "state") {
      this.setState(event.status, event.assignee_id);
    } else if (event.type === "typing" && event.sender_type === "customer") {
      this.typing.hidden = false;
      clearTimeout(this.typingTimer);
      this.typingTimer = setTimeout(() => { this.typing.hidden = true; }, TYPING_SHOWN_MS);
    } else if (event.type === "deleted") {
      this.setState("deleted", null);
      this.composer.hidden = true;
      this.hint.textContent = MESSAGES.deleted;
    }
  }

  dispose() {
    clearTimeout(this.typingTimer);
    this.deps.socket.unsubscribe(this.id);
    this.element.remove();
  }
}
