// The console's live line: /api/agent/ws, reconnecting with backoff; conversation subscriptions survive reconnects.

import { retryDelay } from "../widget/connection.js";

export class AgentSocket {
  /** @param {object} handlers onEvent(payload), onLink(open: boolean), onOpen() */
  constructor(handlers) {
    this.handlers = handlers;
    this.socket = null;
    this.attempt = 0;
    this.subscriptions = new Set();
    this.stopped = false;
    this.retryTimer = null;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (this.socket) {
      this.socket.close(1000);
      this.socket = null;
    }
  }

  send(frame) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  subscribe(conversationId) {
    this.subscriptions.add(conversationId);
    this.send({ type: "subscribe", conversation_id: conversationId });
  }

  unsubscribe(conversationId) {
    this.subscriptions.delete(conversationId);
    this.send({ type: "unsubscribe", conversation_id: conversationId });
  }

  connect() {
    if (this.stopped || this.socket) {
      return;
    }
    const url = new URL("/api/agent/ws", window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url.href);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempt = 0;
      for (const id of this.subscriptions) {
        this.send({ type: "subscribe", conversation_id: id });
      }
      this.handlers.onLink(true);
      this.handlers.onOpen();
    });
    socket.addEventListener("message", (message) => {
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch (error) {
        return;
      }
      // Bus events may arrive bare or wrapped with their topic; the console only needs the payload.
      const payload = frame && frame.payload && typeof frame.payload === "object" && frame.topic ? { ...frame.payload, topic: frame.topic } : frame;
      if (payload && typeof payload.type === "string") {
        this.handlers.onEvent(payload);
      }
    });
    socket.addEventListener("close", () => {
      if (this.socket !== socket) {
        return;
      }
      this.socket = null;
      this.handlers.onLink(false);
      if (!this.stopped) {
        this.retryTimer = setTimeout(() => this.connect(), retryDelay(this.attempt));
        this.attempt += 1;
      }
    });
  }
}
