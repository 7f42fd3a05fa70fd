// Wiring of the widget: conversation lifecycle, outbox, server frames → view. Protocol: docs/architecture.md.

import { TEXTS, format, resolveConfig } from "./config.js";
import { Connection, LINK, conversationRequest, createConversation } from "./connection.js";
import { newClientId } from "./dom.js";
import { csatConfirmation, csatForm, ticketConfirmation, ticketForm } from "./forms.js";
import { WidgetStore } from "./store.js";
import { SENDER, WidgetView } from "./view.js";

const STATUS = Object.freeze({ BOT: "bot", QUEUED: "queued", AGENT: "agent", TICKET: "ticket", RESOLVED: "resolved" });
const FLAG_TICKET = "ticket_email";
const FLAG_RATED = "rated";
const TYPING_SEND_EVERY_MS = 3000;
const TYPING_SHOWN_MS = 8000;
// Only show "connecting" when it takes noticeably long, so a fast start does not flicker.
const CONNECTING_NOTICE_DELAY_MS = 800;
const ERROR_RATE_LIMITED = "rate_limited";
const ERROR_DELETED = "deleted";
const ERROR_TOO_LARGE = "too_large";
const ERROR_INVALID = "invalid";
// A message refused for now stays in the outbox; without the server's Retry-After, try again after this long.
const RESEND_AFTER_RATE_LIMIT_MS = 10000;
const MS_PER_SECOND = 1000;

/** A short reason next to a refused message; the server's own sentence when there is no shorter one. */
function refusalReason(frame) {
  if (frame.code === ERROR_TOO_LARGE) {
    return TEXTS.tooLong;
  }
  if (frame.code === ERROR_INVALID && frame.field === "text") {
    return frame.message || TEXTS.emptyMessage;
  }
  return frame.message || "";
}

export function startWidget(givenConfig) {
  const widget = new Widget(resolveConfig(givenConfig || {}));
  widget.start();
  return widget;
}

class Widget {
  constructor(config) {
    this.config = config;
    this.store = new WidgetStore(config.storageKey);
    this.seen = new Set();
    this.pageLastSeq = 0;
    this.storedLastSeq = this.store.lastSeq;
    this.status = STATUS.BOT;
    this.agentName = "";
    this.starting = null;
    this.lastTypingSent = 0;
    this.typingTimer = null;
    this.linkTimer = null;
    this.resendTimer = null;
    this.view = new WidgetView(config, {
      onSend: (text) => this.send(text, text),
      onQuickReply: (button) => this.send(button.payload || button.title, button.title || button.payload),
      onToggle: (open) => this.rememberOpen(open),
      onTyping: () => this.sendTyping(),
    });
    this.connection = new Connection({
      apiBase: config.apiBase,
      session: () => this.store.session,
      // A fresh page view replays the whole conversation so the history is visible again; later reconnects only
      // ask for what this page has not seen.
      lastSeq: () => this.pageLastSeq,
      onFrame: (frame) => this.onFrame(frame),
      onLink: (state) => this.onLink(state),
      onOpen: () => this.flushOutbox(),
      onSessionGone: () => this.onSessionGone(),
    });
  }

  start() {
    if (this.store.session) {
      for (const item of this.store.outbox) {
        this.view.addPending(item.client_id, this.store.labelFor(item.text));
      }
      this.connection.start();
    }
    if (this.config.open === "true" || this.wasOpen()) {
      this.view.open();
    }
  }

  wasOpen() {
    try {
      return window.sessionStorage.getItem(`${this.config.storageKey}:open`) === "1";
    } catch (error) {
      return false;
    }
  }

  rememberOpen(open) {
    try {
      window.sessionStorage.setItem(`${this.config.storageKey}:open`, open ? "1" : "0");
    } catch (error) {
      // Without sessionStorage the panel simply starts closed after a reload.
    }
  }

  /** Create the conversation on first use only, and only once even if the customer clicks twice. */
  ensureConversation() {
    if (this.store.session) {
      return Promise.resolve(true);
    }
    if (!this.starting) {
      this.starting = createConversation(this.config.apiBase)
        .then((created) => {
          this.store.saveSession(created.conversation_id, created.token);
          this.connection.start();
          return true;
        })
        .catch(() => {
          this.view.addNotice(TEXTS.startFailed);
          return false;
        })
        .finally(() => { this.starting = null; });
    }
    return this.starting;
  }

  async send(text, label) {
    const item = { client_id: newClientId(), text };
    if (label !== text) {
      this.store.rememberLabel(text, label);
    }
    this.view.showQuickReplies([]);
    this.view.addPending(item.client_id, label);
    if (!(await this.ensureConversation())) {
      this.view.failPending(item.client_id);
      return;
    }
    // Stored before sending: if the socket or the tab dies now, it is sent again with the same client_id.
    this.store.enqueue(item);
    this.connection.send({ type: "message", client_id: item.client_id, text });
  }

  flushOutbox() {
    for (const item of this.store.outbox) {
      this.connection.send({ type: "message", client_id: item.client_id, text: item.text });
    }
  }

  sendTyping() {
    const now = Date.now();
    const humanIsListening = this.status === STATUS.QUEUED || this.status === STATUS.AGENT;
    if (humanIsListening && now - this.lastTypingSent > TYPING_SEND_EVERY_MS && this.connection.send({ type: "typing" })) {
      this.lastTypingSent = now;
    }
  }

  onLink(state) {
    clearTimeout(this.linkTimer);
    if (state === LINK.OPEN) {
      this.view.setLink("");
    } else if (state === LINK.CONNECTING) {
      this.linkTimer = setTimeout(() => this.view.setLink(TEXTS.connecting), CONNECTING_NOTICE_DELAY_MS);
    } else {
      this.view.setLink(TEXTS.reconnecting);
    }
  }

  onSessionGone() {
    // The stored conversation was deleted (retention, admin) or its token is no longer valid: start afresh.
    for (const item of this.store.outbox) {
      this.view.failPending(item.client_id);
    }
    this.connection.stop();
    this.store.forgetSession();
    this.seen.clear();
    this.pageLastSeq = 0;
    this.view.setLink("");
  }

  onFrame(frame) {
    switch (frame.type) {
      case "ack": this.onAck(frame); break;
      case "event": this.onEvent(frame.event); break;
      case "state": this.onState(frame); break;
      case "typing": this.onTyping(frame); break;
      case "error": this.onError(frame); break;
      default: break; // pong and future frame types need no reaction
    }
  }

  onAck(frame) {
    this.store.acknowledge(frame.client_id);
    if (typeof frame.seq !== "number") {
      return;
    }
    if (this.seen.has(frame.seq)) {
      // The stored message's event overtook its ack and is already shown: drop the duplicate bubble.
      const pending = this.view.pendingElement(frame.client_id);
      if (pending) {
        pending.remove();
      }
    } else if (this.view.confirmPending(frame.client_id, frame.seq)) {
      this.seen.add(frame.seq);
    }
  }

  onEvent(message) {
    if (!message || typeof message.seq !== "number" || message.private) {
      return;
    }
    this.pageLastSeq = Math.max(this.pageLastSeq, message.seq);
    this.store.advance(message.seq);
    if (this.seen.has(message.seq)) {
      return;
    }
    this.seen.add(message.seq);
    if (message.sender_type === SENDER.CUSTOMER && this.adoptPending(message)) {
      return;
    }
    const fromUs = message.sender_type === SENDER.CUSTOMER;
    const shown = fromUs ? { ...message, text: this.store.labelFor(message.text || "") } : message;
    // Replays of what this browser already saw (seq <= stored last_seq) are not unread.
    this.view.addMessage(shown, !fromUs && message.seq > this.storedLastSeq);
    if (message.sender_type === SENDER.AGENT && message.sender_name) {
      this.agentName = message.sender_name;
    }
    if (message.sender_type === SENDER.BOT || message.sender_type === SENDER.AGENT) {
      this.view.setTyping("");
      this.view.showQuickReplies(Array.isArray(message.buttons) ? message.buttons : []);
    } else if (message.sender_type === SENDER.CUSTOMER) {
      this.view.showQuickReplies([]);
    }
  }

  /** Our own message came back as an event before its ack: turn the pending bubble into the stored one. */
  adoptPending(message) {
    const outbox = this.store.outbox;
    const match = outbox.find((item) => item.client_id === message.client_id)
      || outbox.find((item) => item.text === message.text && this.view.pendingElement(item.client_id));
    return Boolean(match && this.view.confirmPending(match.client_id, message.seq));
  }

  onState(frame) {
    this.status = frame.status;
    const agentName = frame.agent_name || frame.assignee_name || this.agentName;
    if (frame.status === STATUS.QUEUED) {
      const lines = [TEXTS.queued];
      if (typeof frame.wait_minutes === "number" && frame.wait_minutes > 0) {
        lines.push(frame.wait_minutes === 1 ? TEXTS.waitOneMinute : format(TEXTS.waitMinutes, { n: Math.round(frame.wait_minutes) }));
      }
      if (typeof frame.queue_position === "number" && frame.queue_position > 1) {
        lines.push(format(TEXTS.queuePosition, { n: frame.queue_position }));
      }
      this.view.setNotice(lines, "waiting");
      this.view.showForm(null);
    } else if (frame.status === STATUS.AGENT) {
      this.view.setNotice([agentName ? format(TEXTS.agentJoined, { name: agentName }) : TEXTS.agentJoinedUnknown], "agent");
      this.view.showForm(null);
    } else if (frame.status === STATUS.TICKET) {
      this.view.setNotice([], "");
      const email = this.store.flag(FLAG_TICKET) ? this.store.session.flags[FLAG_TICKET] : "";
      this.view.showForm(email ? ticketConfirmation(email) : ticketForm((ticket) => this.submitTicket(ticket)));
    } else if (frame.status === STATUS.RESOLVED) {
      this.view.setNotice([], "");
      this.view.setTyping("");
      this.view.showForm(this.store.flag(FLAG_RATED) ? null : csatForm((rating) => this.submitRating(rating)));
    } else {
      this.view.setNotice([], "");
      this.view.showForm(null);
    }
  }

  onTyping(frame) {
    clearTimeout(this.typingTimer);
    const text = frame.sender_type === SENDER.AGENT
      ? format(TEXTS.agentTyping, { name: frame.sender_name || this.agentName || TEXTS.agentFallbackName })
      : TEXTS.botTyping;
    this.view.setTyping(text);
    this.typingTimer = setTimeout(() => this.view.setTyping(""), TYPING_SHOWN_MS);
  }

  onError(frame) {
    if (frame.code === ERROR_DELETED) {
      this.onSessionGone();
      return;
    }
    // Older servers send no `retryable`: a rate limit was the one refusal worth resending.
    const retryable = typeof frame.retryable === "boolean" ? frame.retryable : frame.code === ERROR_RATE_LIMITED;
    if (retryable) {
      this.resendLater(frame.retry_after);
    }
    if (frame.client_id && retryable) {
      this.view.delayPending(frame.client_id);
    } else if (frame.client_id) {
      // Refused for good (too long, empty): resending would fail forever, so it leaves the outbox.
      this.store.acknowledge(frame.client_id);
      this.view.failPending(frame.client_id, refusalReason(frame));
      return;
    }
    if (frame.message) {
      this.view.addNotice(frame.message);
    }
  }

  resendLater(retryAfterSeconds) {
    const delay = typeof retryAfterSeconds === "number" && retryAfterSeconds > 0
      ? retryAfterSeconds * MS_PER_SECOND : RESEND_AFTER_RATE_LIMIT_MS;
    clearTimeout(this.resendTimer);
    this.resendTimer = setTimeout(() => this.flushOutbox(), delay);
  }

  async submitTicket(ticket) {
    const frame = { type: "ticket", email: ticket.email, note: ticket.note };
    const delivered = this.connection.send(frame) || await this.post("/ticket", { email: ticket.email, note: ticket.note });
    if (delivered) {
      this.store.setFlag(FLAG_TICKET, ticket.email);
      this.view.showForm(ticketConfirmation(ticket.email));
    } else {
      this.view.addNotice(TEXTS.startFailed);
    }
  }

  async submitRating(rating) {
    const frame = { type: "csat", rating: rating.rating, comment: rating.comment };
    const delivered = this.connection.send(frame) || await this.post("/csat", { rating: rating.rating, comment: rating.comment });
    if (delivered) {
      this.store.setFlag(FLAG_RATED, true);
      this.view.showForm(csatConfirmation());
    } else {
      this.view.addNotice(TEXTS.startFailed);
    }
  }

  /** REST fallback for forms while the socket is down. */
  async post(path, body) {
    try {
      const response = await conversationRequest(this.config.apiBase, this.store.session, path, "POST", body);
      return response.ok;
    } catch (error) {
      return false;
    }
  }
}
