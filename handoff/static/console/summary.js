// Small building blocks shared by the queue and the conversation view: reason chips, tone badge, summary facts.

import { h } from "../widget/dom.js";
import { REASONS, SLOTS, TONES, TOPICS, label, toneFromScore } from "./labels.js";

export function reasonChips(reasons) {
  return h("ul", { class: "chips", "aria-label": "Gründe für die Übergabe" },
    (reasons || []).map((reason) => h("li", { class: `chip chip--${reason.code}`, title: reason.detail || "" }, label(REASONS, reason.code))));
}

export function toneBadge(toneLabel, score) {
  const code = toneLabel || toneFromScore(score);
  if (!code) {
    return null;
  }
  const value = typeof score === "number" ? ` ${score.toFixed(2)}` : "";
  return h("span", { class: `tone tone--${code}`, title: "Tonlage des Kunden" }, `Ton: ${label(TONES, code)}${value}`);
}

/** Topics and slots as a definition list: what the agent needs so the customer never has to repeat. */
export function summaryFacts(summary) {
  const facts = h("dl", { class: "facts" });
  const topics = (summary && summary.topics) || [];
  if (topics.length) {
    facts.append(h("dt", {}, "Themen"), h("dd", {}, topics.map((topic) => label(TOPICS, topic)).join(", ")));
  }
  const slots = (summary && summary.slots) || {};
  for (const [name, value] of Object.entries(slots)) {
    if (value !== null && value !== undefined && value !== "" && typeof value !== "object") {
      facts.append(h("dt", {}, label(SLOTS, name)), h("dd", {}, String(value)));
    }
  }
  const escalation = summary && summary.escalation;
  if (escalation && escalation.summary_de) {
    facts.append(h("dt", {}, "Verlauf"), h("dd", {}, escalation.summary_de));
  }
  return facts.childElementCount ? facts : null;
}
