// Goodwill (Kulanz) in the console: a form in a conversation (or a ticket) to grant within the limits, the case's
// grants, and for supervisors and admins the requests above the limits to approve or decline. Money in cents.

import { clear, h, uniqueId } from "../widget/dom.js";
import { api } from "./api.js";
import { registerTicketPanel } from "./ticket_detail.js";

const KINDS = [["voucher", "Gutschein"], ["partial_refund", "Teilerstattung"], ["free_return_shipping", "Kostenlose Rücksendung"]];
const REASON_MAX = 1000;
const SUPERVISING = new Set(["supervisor", "admin"]);
// "12", "12,5", "12,50", "1.234,50" (German) or "12.50": euros with at most two decimals, parsed without floats.
const AMOUNT = /^(\d{1,3}(?:\.\d{3})+|\d{1,6})(?:[,.](\d{1,2}))?$/;

/** "12,50" -> 1250; null when it is not an amount in euros. */
export function euroToCents(text) {
  const match = AMOUNT.exec(String(text || "").trim().replace(/\s*€$/, ""));
  if (!match) {
    return null;
  }
  const euros = Number(match[1].replace(/\./g, ""));
  const cents = Number((match[2] || "0").padEnd(2, "0"));
  return euros * 100 + cents;
}

export const centsToEuro = (cents) => `${Math.floor(cents / 100).toLocaleString("de-DE")},${String(cents % 100).padStart(2, "0")} €`;

function grantLine(grant, extra = null) {
  return h("li", { class: `grant grant--${grant.status}`, "data-grant-id": grant.id },
    h("span", { class: "grant-head" }, h("strong", {}, `${grant.kind_label} ${grant.amount_label}`),
      h("span", { class: `status status--grant-${grant.status}` }, grant.status_label)),
    h("span", { class: "muted" }, `${grant.agent_name}: ${grant.reason}`),
    (grant.limit_reasons || []).length ? h("span", { class: "muted" }, `Freigabe nötig: ${grant.limit_reasons.join("; ")}`) : null,
    grant.decided_by_name ? h("span", { class: "muted" }, `Entschieden von ${grant.decided_by_name}${grant.decision_note ? `: ${grant.decision_note}` : ""}`) : null,
    extra);
}

/** The goodwill form and history of one case: {conversationId} or {ticketId}. */
export class GoodwillSection {
  constructor(caseRef) {
    this.caseRef = caseRef;
    const ids = { kind: uniqueId("gw-kind"), amount: uniqueId("gw-amount"), reason: uniqueId("gw-reason") };
    this.kind = h("select", { id: ids.kind }, KINDS.map(([value, text]) => h("option", { value }, text)));
    this.amount = h("input", { id: ids.amount, inputmode: "decimal", autocomplete: "off", placeholder: "z. B. 15,00", size: "10" });
    this.reason = h("input", { id: ids.reason, maxlength: String(REASON_MAX), placeholder: "Grund, z. B. Lieferung 5 Tage verspätet" });
    this.allowance = h("p", { class: "muted goodwill-allowance" });
    this.hint = h("p", { class: "hint", role: "status" });
    this.list = h("ul", { class: "grants" });
    this.element = h("details", { class: "goodwill", onToggle: () => { if (this.element.open) this.load(); } },
      h("summary", {}, "Kulanz"),
      h("form", { class: "inline-form goodwill-form", onSubmit: (event) => { event.preventDefault(); this.submit(); } },
        h("label", { for: ids.kind }, "Art", this.kind),
        h("label", { for: ids.amount }, "Betrag in €", this.amount),
        h("label", { for: ids.reason, class: "goodwill-reason" }, "Grund", this.reason),
        h("button", { type: "submit", class: "primary" }, "Kulanz gewähren")),
      this.allowance, this.hint, this.list);
  }

  query() {
    return this.caseRef.ticketId ? `ticket_id=${encodeURIComponent(this.caseRef.ticketId)}`
      : `conversation_id=${encodeURIComponent(this.caseRef.conversationId)}`;
  }

  async load() {
    try {
      const [grants, allowance] = await Promise.all([
        api("GET", `/api/agent/goodwill?${this.query()}`), api("GET", "/api/agent/goodwill/allowance")]);
      clear(this.list);
      (grants.grants || []).forEach((grant) => this.list.appendChild(grantLine(grant)));
      this.allowance.textContent = "Ihr Rahmen: " + (allowance.kinds || []).map((kind) =>
        `${kind.label} bis ${kind.per_case_label} je Fall, diesen Monat noch ${kind.left_label}`).join(" · ");
    } catch (error) {
      this.hint.textContent = error.message;
    }
  }

  async submit() {
    const cents = euroToCents(this.amount.value);
    if (cents === null || cents <= 0) {
      this.hint.textContent = "Bitte einen Betrag in Euro eingeben, z. B. 15,00.";
      this.amount.focus();
      return;
    }
    const body = { kind: this.kind.value, amount_cents: cents, reason: this.reason.value.trim() };
    if (this.caseRef.ticketId) {
      body.ticket_id = this.caseRef.ticketId;
    } else {
      body.conversation_id = this.caseRef.conversationId;
    }
    try {
      const { grant } = await api("POST", "/api/agent/goodwill", body);
      this.hint.textContent = grant.status === "granted"
        ? `${grant.kind_label} über ${grant.amount_label} gewährt; der Kunde hat die Bestätigung.`
        : `Über Ihrem Limit: ${grant.amount_label} wartet auf die Freigabe durch Supervisor oder Admin.`;
      this.amount.value = "";
      this.reason.value = "";
      await this.load();
    } catch (error) {
      this.hint.textContent = error.message;
    }
  }
}

/** Sidebar for supervisors and admins: requests above the limits, approve or decline. */
export class GoodwillRequests {
  /** @param {object} deps {section, list, counter, me: () => agent} */
  constructor(deps) {
    this.deps = deps;
  }

  get allowed() {
    return SUPERVISING.has((this.deps.me() || {}).role);
  }

  async refresh() {
    this.deps.section.hidden = !this.allowed;
    if (!this.allowed) {
      return;
    }
    const today = new Date();
    const day = (date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
    try {
      const [{ grants }, month] = await Promise.all([
        api("GET", "/api/agent/goodwill?status=requested"),
        api("GET", `/api/agent/goodwill/summary?from=${day(new Date(today.getFullYear(), today.getMonth(), 1))}&to=${day(today)}`)]);
      this.render(grants || [], month);   // in one go: refreshes racing each other never mix their lists
    } catch (error) {
      this.deps.list.replaceChildren(h("li", { class: "empty error" }, error.message));
    }
  }

  onEvent(event) {
    if (event.type === "goodwill_changed") {
      this.refresh();
    }
  }

  render(grants, month) {
    clear(this.deps.list);
    this.deps.counter.textContent = String(grants.length);
    this.deps.list.appendChild(h("li", { class: "muted goodwill-month" }, `Diesen Monat gewährt: ${centsToEuro(month.given_cents)} `
      + `(${month.kinds.map((kind) => `${kind.label} ${centsToEuro(kind.given_cents)}`).join(", ")})`));
    if (!grants.length) {
      this.deps.list.appendChild(h("li", { class: "empty" }, "Keine offenen Kulanz-Anfragen."));
      return;
    }
    for (const grant of grants) {
      const note = h("input", { maxlength: String(REASON_MAX), placeholder: "Notiz (optional)", "aria-label": "Notiz zur Entscheidung" });
      const hint = h("span", { class: "error", role: "alert" });
      const decide = (approve) => api("POST", `/api/agent/goodwill/${encodeURIComponent(grant.id)}/${approve ? "approve" : "decline"}`,
        { note: note.value }).then(() => this.refresh()).catch((error) => { hint.textContent = error.message; });
      this.deps.list.appendChild(grantLine(grant, h("span", { class: "grant-actions" }, note,
        h("button", { type: "button", class: "primary", onClick: () => decide(true) }, "Freigeben"),
        h("button", { type: "button", class: "danger", onClick: () => decide(false) }, "Ablehnen"), hint)));
    }
  }
}

// In a ticket's detail (its extension point): goodwill on the ticket, recorded in its history. The detail is drawn
// anew on every ticket event; the same section is put back, so what the agent is typing and the answer stay.
let ticketSection = null;
registerTicketPanel((detail, extensions) => {
  if (!ticketSection || ticketSection.caseRef.ticketId !== detail.ticket.id) {
    ticketSection = new GoodwillSection({ ticketId: detail.ticket.id });
  } else if (ticketSection.element.open) {
    ticketSection.load();
  }
  extensions.append(ticketSection.element);
});
