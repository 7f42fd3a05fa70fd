const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15000;
const PING_EVERY_MS = 25000;
// Browsers hide why a handshake failed: after this many, ask REST if the conversation exists.
const CHECK_SESSION_AFTER_FAILURES = 3;
const SESSION_GONE_STATUSES = [401, 403, 404];
const CONVERSATIONS = "/api/widget/conversations";
const JSON_HEADERS = { "Content-Type": "application/json" };

export const LINK = { CONNECTING: "connecting", OPEN: "open", RETRYING: "retrying" };

/** Full jitter spreads widgets out after a restart. */
export function retryDelay(attempt) {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export async function createConversation(apiBase) {
  const response = await fetch(`${apiBase}${CONVERSATIONS}`, { method: "POST", headers: JSON_HEADERS, body: "{}" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

export function conversationRequest(apiBase, session, path, method = "GET", body) {
  return fetch(`${apiBase}${CONVERSATIONS}/${encodeURIComponent(session.conversation_id)}${path}`, {
    method,
    headers: { ...JSON_HEADERS, Authorization: `Bearer ${session.token}` },
    body: body && JSON.stringify(body),
  });
}

export class Connection {
  /** listener: session(), lastSeq(), onFrame(frame), onLink(state), onOpen(), onSessionGone() */
  constructor(apiBase, listener) {
    this.apiBase = apiBase;
    this.listener = listener;
    this.socket = null;
    this.attempt = 0;
    this.failures = 0;
  }

  get isOpen() { return this.socket?.readyState === WebSocket.OPEN; }

  start() {
    this.stopped = false;
    this.connect();
    addEventListener("online", this.reconnectNow);
  }

  stop() {
    this.stopped = true;
    removeEventListener("online", this.reconnectNow);
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.socket?.close(1000);
    this.socket = null;
  }

  /** Network back: skip the backoff. */
  reconnectNow = () => {
    if (this.isOpen || this.stopped) return;
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    this.connect();
  };

  send(frame) {
    if (!this.isOpen) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  connect() {
    const { conversation_id, token } = this.listener.session() || {};
    if (this.stopped || !token || this.socket) return;
    this.listener.onLink(this.attempt ? LINK.RETRYING : LINK.CONNECTING);
    const url = new URL(`${this.apiBase || location.origin}/api/widget/ws`, location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.search = new URLSearchParams({ conversation_id, token, after: this.listener.lastSeq() });
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.failures = 0;
      this.listener.onLink(LINK.OPEN);
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.send({ type: "ping" }), PING_EVERY_MS);
      this.listener.onOpen();
    };
    socket.onmessage = (message) => {
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return; // not a frame of ours
      }
      if (typeof frame?.type === "string") this.listener.onFrame(frame);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      clearInterval(this.pingTimer);
      this.socket = null;
      if (!this.stopped) this.scheduleRetry();
    };
  }

  async scheduleRetry() {
    this.listener.onLink(LINK.RETRYING);
    this.failures += 1;
    if (this.failures % CHECK_SESSION_AFTER_FAILURES === 0 && (await this.sessionIsGone())) {
      return this.listener.onSessionGone();
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), retryDelay(this.attempt++));
  }

  async sessionIsGone() {
    try {
      const response = await conversationRequest(this.apiBase, this.listener.session(), "/events?after=0&limit=1");
      return SESSION_GONE_STATUSES.includes(response.status);
    } catch {
      return false; // the network itself is down: keep trying
    }
  }
}
