// One conversation's transcript for agents: bot part included, intent/confidence/tone discreet, notes set apart.

import { formatTime, h } from "../widget/dom.js";
import { TONES, TOPICS, label } from "./labels.js";

const SENDER_NAMES = Object.freeze({ customer: "Kunde", bot: "Bot", system: "System" });

export class Transcript {
  constructor(list) {
    this.list = list;
    this.seqs = new Set();
  }

  /** Add or ignore (already shown) one message dict; keeps seq order even when live events overtake a reload. */
  add(message) {
    if (!message || typeof message.seq !== "number" || this.seqs.has(message.seq)) {
      return false;
    }
    this.seqs.add(message.seq);
    const element = messageElement(message);
    const later = Array.from(this.list.children).find((li) => Number(li.dataset.seq) > message.seq);
    this.list.insertBefore(element, later || null);
    element.scrollIntoView({ block: "nearest" });
    return true;
  }
}

function messageElement(message) {
  const sender = message.message_type === "activity" ? "system" : message.sender_type;
  const kind = message.private ? "note" : sender;
  const name = message.private ? `Interne Notiz · ${message.sender_name || "Agent"}`
    : sender === "agent" ? (message.sender_name || "Agent") : (SENDER_NAMES[sender] || sender);
  return h("li", { class: `msg msg--${kind}`, "data-seq": String(message.seq) },
    h("div", { class: "msg-head" },
      h("span", { class: sender === "system" && !message.private ? "msg-sender sr-only" : "msg-sender" }, name),
      h("time", { datetime: message.created_at || "" }, formatTime(message.created_at))),
    h("p", { class: "msg-text" }, message.text || ""),
    understanding(message),
    buttonsOffered(message));
}

/** What the bot understood of a customer message, small and grey: context for the agent, not the headline. */
function understanding(message) {
  if (message.sender_type !== "customer") {
    return null;
  }
  const parts = [];
  if (message.intent) {
    const confidence = typeof message.confidence === "number" ? ` (${Math.round(message.confidence * 100)} %)` : "";
    parts.push(`Absicht: ${label(TOPICS, message.intent)}${confidence}`);
  }
  if (message.tone_label) {
    const score = typeof message.tone_score === "number" ? ` ${message.tone_score.toFixed(2)}` : "";
    parts.push(`Ton: ${label(TONES, message.tone_label)}${score}`);
  }
  return parts.length ? h("p", { class: "msg-nlu" }, parts.join(" · ")) : null;
}

function buttonsOffered(message) {
  const buttons = Array.isArray(message.buttons) ? message.buttons : [];
  return buttons.length ? h("p", { class: "msg-nlu" }, `Angebotene Antworten: ${buttons.map((button) => button.title).join(" | ")}`) : null;
}
