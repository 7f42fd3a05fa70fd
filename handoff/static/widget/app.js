// Conversation, outbox, frames to the view. Protocol: docs/architecture.md.

import { TEXTS, format, resolveConfig } from "./config.js";
import { Connection, LINK, conversationRequest, createConversation } from "./connection.js";
import { newClientId } from "./dom.js";
import { csatConfirmation, csatForm, ticketConfirmation, ticketForm } from "./forms.js";
import { WidgetStore } from "./store.js";
import { SENDER, WidgetView } from "./view.js";

const STATUS = { BOT: "bot", QUEUED: "queued", AGENT: "agent", TICKET: "ticket", RESOLVED: "resolved" };
const HANDLERS = { ack: "onAck", event: "onEvent", state: "onState", typing: "onTyping", error: "onError" };
const FRAME = { MESSAGE: "message", TYPING: "typing", TICKET: "ticket", CSAT: "csat" };
const ERROR = { RATE_LIMITED: "rate_limited", DELETED: "deleted", TOO_LARGE: "too_large", INVALID: "invalid" };
const FLAG_TICKET = "ticket_email";
const FLAG_RATED = "rated";
const OPEN = "1";
const TYPING_SEND_EVERY_MS = 3000;
const TYPING_SHOWN_MS = 8000;
// A fast start must not flicker a "connecting" notice.
const CONNECTING_NOTICE_DELAY_MS = 800;
const RESEND_AFTER_MS = 10000;
const MS_PER_SECOND = 1000;

const isPositive = (value) => typeof value === "number" && value > 0;

function refusalReason({ code, field, message }) {
  if (code === ERROR.TOO_LARGE) return TEXTS.tooLong;
  return message || (code === ERROR.INVALID && field === "text" ? TEXTS.emptyMessage : "");
}

export function startWidget(givenConfig) {
  new Widget(resolveConfig(givenConfig || {})).start();
}

/** Listener of its view (onSend, onQuickReply, onToggle, onCustomerTyping) and socket. */
class Widget {
  seen = new Set();
  pageLastSeq = 0;
  status = STATUS.BOT;
  agentName = "";
  lastTypingSent = 0;

  constructor(config) {
    this.config = config;
    this.openKey = `${config.storageKey}:open`;
    this.store = new WidgetStore(config.storageKey);
    this.storedLastSeq = this.store.lastSeq;
    this.view = new WidgetView(config, this);
    this.socket = new Connection(config.apiBase, this);
  }

  start() {
    if (this.store.session) {
      for (const item of this.store.outbox) this.view.addPending(item.client_id, this.store.labelFor(item.text));
      this.socket.start();
    }
    if (this.config.open === "true" || this.wasOpen()) this.view.setOpen(true);
  }

  session() { return this.store.session; }

  // A new page view replays all history; reconnects ask for the rest.
  lastSeq() { return this.pageLastSeq; }

  // Blocked sessionStorage: the panel just starts closed after a reload.
  wasOpen() {
    try { return sessionStorage.getItem(this.openKey) === OPEN; } catch { return false; }
  }

  onToggle(open) {
    try { sessionStorage.setItem(this.openKey, open ? OPEN : ""); } catch { /* see wasOpen */ }
  }

  onQuickReply({ title, payload }) { this.onSend(payload || title, title || payload); }

  /** Once, on first use, even if the customer clicks twice. */
  ensureConversation() {
    if (this.store.session) return Promise.resolve(true);
    this.starting ||= createConversation(this.config.apiBase).then((created) => {
      this.store.saveSession(created);
      this.socket.start();
      return true;
    }, () => {
      this.view.addNotice(TEXTS.startFailed);
      return false;
    }).finally(() => { this.starting = null; });
    return this.starting;
  }

  async onSend(text, label = text) {
    const item = { client_id: newClientId(), text };
    if (label !== text) this.store.rememberLabel(text, label);
    this.view.showQuickReplies([]);
    this.view.addPending(item.client_id, label);
    if (!(await this.ensureConversation())) return this.view.failPending(item.client_id);
    // Stored first: if the socket or tab dies now, it is resent (same client_id).
    this.store.enqueue(item);
    this.sendMessage(item);
  }

  onOpen() {
    for (const item of this.store.outbox) this.sendMessage(item);
  }

  sendMessage(item) { this.socket.send({ type: FRAME.MESSAGE, ...item }); }

  onCustomerTyping() {
    const now = Date.now();
    const humanIsListening = [STATUS.QUEUED, STATUS.AGENT].includes(this.status);
    if (humanIsListening && now - this.lastTypingSent > TYPING_SEND_EVERY_MS && this.socket.send({ type: FRAME.TYPING })) {
      this.lastTypingSent = now;
    }
  }

  onLink(state) {
    clearTimeout(this.linkTimer);
    if (state === LINK.CONNECTING) {
      this.linkTimer = setTimeout(() => this.view.setLink(TEXTS.connecting), CONNECTING_NOTICE_DELAY_MS);
    } else {
      this.view.setLink(state === LINK.OPEN ? "" : TEXTS.reconnecting);
    }
  }

  /** Deleted (retention, admin) or token invalid: start afresh. */
  onSessionGone() {
    for (const item of this.store.outbox) this.view.failPending(item.client_id);
    this.socket.stop();
    this.store.forgetSession();
    this.seen.clear();
    this.pageLastSeq = 0;
    this.view.setLink("");
  }

  onFrame(frame) {
    // pong and future frame types need no reaction
    if (Object.hasOwn(HANDLERS, frame.type)) this[HANDLERS[frame.type]](frame);
  }

  onAck({ client_id: clientId, seq }) {
    this.store.acknowledge(clientId);
    if (typeof seq !== "number") return;
    if (this.seen.has(seq)) {
      // Its event overtook the ack and is shown already.
      this.view.pendingElement(clientId)?.remove();
    } else if (this.view.confirmPending(clientId, seq)) {
      this.seen.add(seq);
    }
  }

  onEvent({ event: message }) {
    if (typeof message?.seq !== "number" || message.private) return;
    const { seq, sender_type: sender } = message;
    this.pageLastSeq = Math.max(this.pageLastSeq, seq);
    this.store.advance(seq);
    if (this.seen.has(seq)) return;
    this.seen.add(seq);
    if (sender === SENDER.CUSTOMER) {
      if (this.adoptPending(message)) return;
      this.view.addMessage({ ...message, text: this.store.labelFor(message.text || "") }, false);
      this.view.showQuickReplies([]);
      return;
    }
    // What this browser saw before is not unread.
    this.view.addMessage(message, seq > this.storedLastSeq);
    if (sender === SENDER.AGENT && message.sender_name) this.agentName = message.sender_name;
    if (sender === SENDER.BOT || sender === SENDER.AGENT) {
      this.view.setTyping("");
      this.view.showQuickReplies(Array.isArray(message.buttons) ? message.buttons : []);
    }
  }

  /** Our own message came back as an event before its ack. */
  adoptPending(message) {
    const outbox = this.store.outbox;
    const match = outbox.find((item) => item.client_id === message.client_id)
      || outbox.find((item) => item.text === message.text && this.view.pendingElement(item.client_id));
    return Boolean(match) && this.view.confirmPending(match.client_id, message.seq);
  }

  onState({ status, wait_minutes: wait, queue_position: position, agent_name, requests }) {
    const agentName = this.agentName = agent_name || this.agentName;
    const lines = [];
    let form = null;
    this.status = status;
    if (status === STATUS.QUEUED) {
      lines.push(TEXTS.queued);
      if (isPositive(wait)) lines.push(wait === 1 ? TEXTS.waitOneMinute : format(TEXTS.waitMinutes, { n: Math.round(wait) }));
      if (position > 1) lines.push(format(TEXTS.queuePosition, { n: position }));
    } else if (status === STATUS.AGENT) {
      lines.push(agentName ? format(TEXTS.agentJoined, { name: agentName }) : TEXTS.agentJoinedUnknown);
    } else if (status === STATUS.TICKET) {
      const email = this.store.flag(FLAG_TICKET);
      form = email ? ticketConfirmation(email) : ticketForm((ticket) => this.submitForm(FRAME.TICKET, ticket, FLAG_TICKET, ticket.email));
    } else if (status === STATUS.RESOLVED) {
      this.view.setTyping("");
      if (!this.store.flag(FLAG_RATED)) form = csatForm((rating) => this.submitForm(FRAME.CSAT, rating, FLAG_RATED, true));
    }
    this.view.setNotice([...lines, ...(requests || [])], status);
    this.view.showForm(form);
  }

  onTyping({ sender_type: sender, sender_name: name }) {
    clearTimeout(this.typingTimer);
    this.view.setTyping(sender === SENDER.AGENT
      ? format(TEXTS.agentTyping, { name: name || this.agentName || TEXTS.agentFallbackName })
      : TEXTS.botTyping);
    this.typingTimer = setTimeout(() => this.view.setTyping(""), TYPING_SHOWN_MS);
  }

  onError(frame) {
    const { code, client_id: clientId, retry_after: retryAfter } = frame;
    if (code === ERROR.DELETED) return this.onSessionGone();
    const retryable = frame.retryable ?? code === ERROR.RATE_LIMITED;  // no flag: only a rate limit is retried
    if (retryable) {
      clearTimeout(this.resendTimer);
      this.resendTimer = setTimeout(() => this.onOpen(), isPositive(retryAfter) ? retryAfter * MS_PER_SECOND : RESEND_AFTER_MS);
      this.view.delayPending(clientId);
    } else if (clientId) {
      // Refused for good (too long, empty): resending would fail forever.
      this.store.acknowledge(clientId);
      return this.view.failPending(clientId, refusalReason(frame));
    }
    if (frame.message) this.view.addNotice(frame.message);
  }

  /** REST while the socket is down; the flag stops the form coming back. */
  async submitForm(type, body, flag, flagValue) {
    const delivered = this.socket.send({ type, ...body }) || (await conversationRequest(
      this.config.apiBase, this.store.session, `/${type}`, "POST", body).then((response) => response.ok, () => false));
    if (!delivered) return this.view.addNotice(TEXTS.startFailed);
    this.store.setFlag(flag, flagValue);
    this.view.showForm(type === FRAME.TICKET ? ticketConfirmation(flagValue) : csatConfirmation());
  }
}
