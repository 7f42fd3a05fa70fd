// E-mail of one ticket in the console (issue 16): where each mail is (waiting in the outbox, sent, failed,
// undeliverable), the note when sending is not set up, and a warning when the customer's address bounced.
// Mail text is never rendered as HTML: everything goes in as text nodes.

import { clear, h } from "../widget/dom.js";
import { api } from "./api.js";
import { registerTicketPanel } from "./ticket_detail.js";

const PURPOSES = { answer: "Antwort", acknowledgement: "Eingangsbestätigung", transcript: "Chatprotokoll" };

const dateTime = (iso) => {
  const date = new Date(iso || "");
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleString("de-DE", { day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" });
};

/** Fills `container` with the ticket's mails; returns the data (or null when it could not be loaded). */
export async function renderTicketMail(container, ticketId) {
  let data;
  try {
    data = await api("GET", `/api/agent/tickets/${encodeURIComponent(ticketId)}/mail`);
  } catch (error) {
    clear(container);
    container.append(h("p.mail-error", { role: "alert" }, `E-Mails konnten nicht geladen werden: ${error.message}`));
    return null;
  }
  clear(container);
  container.setAttribute("data-ticket-mail", ticketId);
  if (data.undeliverable) {
    container.append(h("p.mail-undeliverable", { role: "alert" }, data.undeliverable.label));
  }
  if (data.note) {
    container.append(h("p.mail-note", { role: "note" }, data.note));
  }
  if (!data.mails.length) {
    return data;
  }
  const list = h("ul.mail-list", { "aria-label": "E-Mails zu diesem Ticket" });
  for (const mail of data.mails) {
    const when = mail.sent_at ? `versandt ${dateTime(mail.sent_at)}` : dateTime(mail.created_at);
    const detail = mail.last_error && mail.status !== "sent" ? ` – ${mail.last_error}` : "";
    list.append(h(`li.mail.mail-${mail.status}`, { "data-status": mail.status },
      h("strong", {}, PURPOSES[mail.purpose] || "E-Mail"), ` an ${mail.to}: `,
      h("span.mail-status", {}, mail.status_label), ` (${when})${detail}`));
  }
  container.append(list);
  return data;
}

// The panel in the ticket detail (issue 14's extension point): shown when the ticket has an address or mails.
registerTicketPanel((detail, extensions) => {
  const ticket = detail.ticket;
  const body = h("div.ticket-mail-body");
  const section = h("section.ticket-mail", { "aria-label": "E-Mail" }, h("h3", {}, "E-Mail"), body);
  section.hidden = true;
  extensions.append(section);
  renderTicketMail(body, ticket.id).then((data) => {
    section.hidden = !(ticket.email || (data && (data.mails.length || data.undeliverable)));
  });
});
