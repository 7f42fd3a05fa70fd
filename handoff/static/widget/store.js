// What survives a reload. Without localStorage (private mode) a memory copy serves this page.

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
    try {
      return JSON.parse(localStorage.getItem(this.key(name))) ?? fallback;
    } catch {
      return this.memory.get(name) ?? fallback;
    }
  }

  write(name, value) {
    this.memory.set(name, value);
    try {
      localStorage.setItem(this.key(name), JSON.stringify(value));
    } catch {
      // full or blocked: the in-memory copy will do
    }
  }

  key(name) { return `${this.prefix}:${name}`; }

  get session() {
    const session = this.read(SESSION, null);
    return session?.conversation_id && session.token ? session : null;
  }

  /** A new conversation must not inherit the old outbox or labels. */
  replaceSession(session) {
    this.write(SESSION, session);
    this.write(OUTBOX, []);
    this.write(LABELS, {});
  }

  saveSession({ conversation_id, token }) {
    this.replaceSession({ conversation_id, token, last_seq: 0, flags: {} });
  }

  forgetSession() { this.replaceSession(null); }

  updateSession(changes) {
    const session = this.session;
    if (session) this.write(SESSION, { ...session, ...changes });
  }

  get lastSeq() { return this.session?.last_seq || 0; }

  advance(seq) {
    if (seq > this.lastSeq) this.updateSession({ last_seq: seq });
  }

  /** E.g. "rated", so forms do not reappear after a reload. */
  flag(name) { return this.session?.flags?.[name] || null; }

  setFlag(name, value) { this.updateSession({ flags: { ...this.session?.flags, [name]: value } }); }

  get outbox() { return this.read(OUTBOX, []); }

  enqueue(item) { this.write(OUTBOX, [...this.without(item.client_id), item]); }

  acknowledge(clientId) { this.write(OUTBOX, this.without(clientId)); }

  without(clientId) { return this.outbox.filter((queued) => queued.client_id !== clientId); }

  /** A quick reply sends its payload; the customer saw its title. */
  rememberLabel(text, label) {
    const labels = this.read(LABELS, {});
    labels[text] = label;
    const keys = Object.keys(labels);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_LABELS))) delete labels[old];
    this.write(LABELS, labels);
  }

  labelFor(text) {
    const labels = this.read(LABELS, {});
    return Object.hasOwn(labels, text) ? labels[text] : text;
  }
}
