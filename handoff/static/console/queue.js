// The live queue: waiting customers, oldest and most urgent first, with a ticking waiting time.

import { clear, h } from "../widget/dom.js";
import { formatWaiting } from "./labels.js";
import { reasonChips, summaryFacts, toneBadge } from "./summary.js";

export class QueuePanel {
  /** @param {HTMLElement} list the <ul> to fill; @param {HTMLElement} counter; @param {function(string)} onOpen */
  constructor(list, counter, onOpen) {
    this.list = list;
    this.counter = counter;
    this.onOpen = onOpen;
    this.items = [];
    this.known = null;
    this.timer = setInterval(() => this.tick(), 1000);
  }

  /** Replace the items; returns the ones not seen before (the caller beeps for them). */
  update(items) {
    const fetchedAt = Date.now();
    this.items = items.map((item) => ({ ...item, since: waitingStart(item, fetchedAt) }));
    const fresh = this.known === null ? [] : this.items.filter((item) => !this.known.has(item.conversation_id));
    this.known = new Set(this.items.map((item) => item.conversation_id));
    this.render();
    return fresh;
  }

  render() {
    clear(this.list);
    this.counter.textContent = String(this.items.length);
    if (!this.items.length) {
      this.list.appendChild(h("li", { class: "empty" }, "Niemand wartet gerade."));
      return;
    }
    for (const item of this.items) {
      const first = item.first_customer_message || "";
      this.list.appendChild(h("li", { class: "queue-item", "data-conversation-id": item.conversation_id },
        h("button", { type: "button", class: "queue-open", onClick: () => this.onOpen(item.conversation_id) },
          h("span", { class: "queue-head" },
            h("span", { class: "waiting", "data-since": String(item.since) }, `wartet ${formatWaiting((Date.now() - item.since) / 1000)}`),
            toneBadge(null, item.rolling_tone)),
          reasonChips(item.reasons),
          summaryFacts(item.summary),
          first ? h("q", { class: "first-message" }, first) : null)));
    }
  }

  tick() {
    for (const element of this.list.querySelectorAll(".waiting[data-since]")) {
      element.textContent = `wartet ${formatWaiting((Date.now() - Number(element.dataset.since)) / 1000)}`;
    }
  }
}

function waitingStart(item, fetchedAt) {
  // Prefer the server's waiting_seconds: the agent's clock may be off, the server's count is not.
  if (typeof item.waiting_seconds === "number") {
    return fetchedAt - item.waiting_seconds * 1000;
  }
  const parsed = Date.parse(item.waiting_since || "");
  return Number.isNaN(parsed) ? fetchedAt : parsed;
}
