// What the widget must remember across reloads: the conversation, the last event seen and unacknowledged messages.
// localStorage can be unavailable (private mode, blocked storage); the widget then works for this page view only.

const SESSION = "session";
const OUTBOX = "outbox";
const LABELS = "labels";
const MAX_LABELS = 50;

export class WidgetStore {
  constructor(prefix) {
    this.prefix = prefix;
    this.memory = new Map();
  }

  read(name, fallback) {
    const key = `${this.prefix}:${name}`;
    try {
      const raw = window.localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (error) {
      return this.memory.has(key) ? this.memory.get(key) : fallback;
    }
  }

  write(name, value) {
    const key = `${this.prefix}:${name}`;
    this.memory.set(key, value);
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      // Storage full or blocked: the in-memory copy keeps this page view working.
    }
  }

  get session() {
    const session = this.read(SESSION, null);
    return session && session.conversation_id && session.token ? session : null;
  }

  saveSession(conversationId, token) {
    this.write(SESSION, { conversation_id: conversationId, token, last_seq: 0, flags: {} });
    this.write(OUTBOX, []);
    this.write(LABELS, {});
  }

  forgetSession() {
    this.write(SESSION, null);
    this.write(OUTBOX, []);
    this.write(LABELS, {});
  }

  get lastSeq() {
    const session = this.session;
    return session ? session.last_seq || 0 : 0;
  }

  advance(seq) {
    const session = this.session;
    if (session && seq > (session.last_seq || 0)) {
      this.write(SESSION, { ...session, last_seq: seq });
    }
  }

  /** Per-conversation facts such as "ticket sent" or "rated", so forms do not reappear after a reload. */
  flag(name) {
    const session = this.session;
    return Boolean(session && session.flags && session.flags[name]);
  }

  setFlag(name, value) {
    const session = this.session;
    if (session) {
      this.write(SESSION, { ...session, flags: { ...(session.flags || {}), [name]: value } });
    }
  }

  get outbox() {
    return this.read(OUTBOX, []);
  }

  enqueue(item) {
    this.write(OUTBOX, [...this.outbox.filter((queued) => queued.client_id !== item.client_id), item]);
  }

  acknowledge(clientId) {
    this.write(OUTBOX, this.outbox.filter((queued) => queued.client_id !== clientId));
  }

  /** A quick reply sends its payload but the customer saw its title; remember the title to show it again. */
  rememberLabel(text, label) {
    const labels = this.read(LABELS, {});
    labels[text] = label;
    const keys = Object.keys(labels);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_LABELS))) {
      delete labels[old];
    }
    this.write(LABELS, labels);
  }

  labelFor(text) {
    const labels = this.read(LABELS, {});
    return Object.prototype.hasOwnProperty.call(labels, text) ? labels[text] : text;
  }
}
