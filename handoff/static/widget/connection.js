// The widget's line to the server: one WebSocket that comes back by itself, plus the few REST calls around it.

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15000;
const PING_EVERY_MS = 25000;
// A browser never sees why a WebSocket handshake was refused, so after this many failures in a row we ask the
// REST API whether the stored conversation still exists.
const CHECK_SESSION_AFTER_FAILURES = 3;
const SESSION_GONE_STATUSES = [401, 403, 404];
const JSON_HEADERS = { "Content-Type": "application/json" };

export const LINK = Object.freeze({ CONNECTING: "connecting", OPEN: "open", RETRYING: "retrying" });

/** Full jitter: spreads reconnecting widgets out after a server restart instead of a thundering herd. */
export function retryDelay(attempt) {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export async function createConversation(apiBase) {
  const response = await fetch(`${apiBase}/api/widget/conversations`, { method: "POST", headers: JSON_HEADERS, body: "{}" });
  if (!response.ok) throw new Error(`conversation not created: HTTP ${response.status}`);
  return response.json();
}

/** One conversation's REST endpoint: the forms' fallback while the socket is down, and session checks. */
export function conversationRequest(apiBase, session, path, method = "GET", body = undefined) {
  return fetch(`${apiBase}/api/widget/conversations/${encodeURIComponent(session.conversation_id)}${path}`, {
    method,
    headers: { ...JSON_HEADERS, Authorization: `Bearer ${session.token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export class Connection {
  /**
   * @param {object} options apiBase, session() → {conversation_id, token}, lastSeq() → number,
   *   onFrame(frame), onLink(state), onOpen(), onSessionGone()
   */
  constructor(options) {
    this.options = options;
    this.socket = null;
    this.attempt = 0;
    this.failuresSinceOpen = 0;
    this.stopped = false;
    this.reconnectNow = this.reconnectNow.bind(this);
  }

  get isOpen() {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  start() {
    this.stopped = false;
    this.connect();
    window.addEventListener("online", this.reconnectNow);
  }

  stop() {
    this.stopped = true;
    window.removeEventListener("online", this.reconnectNow);
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.socket?.close(1000);
    this.socket = null;
  }

  /** The browser says the network is back: do not wait for the backoff timer. */
  reconnectNow() {
    if (this.isOpen || this.stopped) return;
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    this.connect();
  }

  send(frame) {
    if (!this.isOpen) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  socketUrl() {
    const session = this.options.session();
    const url = new URL(this.options.apiBase || location.origin, location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.pathname = `${url.pathname.replace(/\/+$/, "")}/api/widget/ws`;
    url.search = new URLSearchParams({
      conversation_id: session.conversation_id,
      token: session.token,
      after: String(this.options.lastSeq()),
    });
    return url.href;
  }

  connect() {
    if (this.stopped || !this.options.session() || this.socket !== null) return;
    this.options.onLink(this.attempt === 0 ? LINK.CONNECTING : LINK.RETRYING);
    const socket = new WebSocket(this.socketUrl());
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempt = 0;
      this.failuresSinceOpen = 0;
      this.options.onLink(LINK.OPEN);
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.send({ type: "ping" }), PING_EVERY_MS);
      this.options.onOpen();
    });
    socket.addEventListener("message", (message) => {
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch (error) {
        return; // not a frame of ours
      }
      if (typeof frame?.type === "string") this.options.onFrame(frame);
    });
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      clearInterval(this.pingTimer);
      this.socket = null;
      if (!this.stopped) this.scheduleRetry();
    });
  }

  async scheduleRetry() {
    this.options.onLink(LINK.RETRYING);
    this.failuresSinceOpen += 1;
    if (this.failuresSinceOpen % CHECK_SESSION_AFTER_FAILURES === 0 && (await this.sessionIsGone())) {
      this.options.onSessionGone();
      return;
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), retryDelay(this.attempt));
    this.attempt += 1;
  }

  async sessionIsGone() {
    try {
      const response = await conversationRequest(this.options.apiBase, this.options.session(), "/events?after=0&limit=1");
      return SESSION_GONE_STATUSES.includes(response.status);
    } catch (error) {
      return false; // the network itself is down: keep trying
    }
  }
}
