// Trainer page: review inbox, annotate, export, retrain with progress, compare, promote, roll back.
// Everything the server sends is shown with textContent only (customer texts are untrusted, even redacted).
import { api, csrf } from "/console/api.js";

const POLL_MS = 2000;
const REASON_LABELS = {
  fallback: "nicht verstanden", low_confidence: "unsicher", handoff: "Übergabe", tone: "Tonlage",
  negative_csat: "schlechte Bewertung",
};
const STATUS_LABELS = {
  candidate: "Kandidat", rejected: "abgelehnt", live: "live", previous: "vorheriges", retired: "archiviert",
};
const TONE_LABELS = ["calm", "frustrated", "abusive"];

const $ = (selector) => document.querySelector(selector);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function say(message, isError = false) {
  const status = $("#status");
  status.textContent = message;
  status.className = isError ? "error" : "";
}

function percent(value) {
  return value === null || value === undefined ? "–" : (value * 100).toFixed(1) + " %";
}

function seconds(value) {
  if (value === null || value === undefined) return "?";
  const minutes = Math.floor(value / 60);
  return minutes ? `${minutes} min ${Math.round(value % 60)} s` : `${Math.round(value)} s`;
}

class TrainerPage {
  constructor() {
    this.intents = [];
    this.pollTimer = null;
  }

  async start() {
    $("#login-form").addEventListener("submit", (event) => { event.preventDefault(); this.login(); });
    $("#filters").addEventListener("submit", (event) => { event.preventDefault(); this.loadInbox(); });
    $("#export-patch").addEventListener("click", () => this.exportData("patch"));
    $("#export-write").addEventListener("click", () => this.exportData("write"));
    $("#train").addEventListener("click", () => this.train());
    $("#rollback").addEventListener("click", () => this.rollback());
    try {
      await this.loadIntents();
      this.showApp();
    } catch (error) {
      this.showLogin(error.status === 401 || error.status === 403 ? "" : error.message);
    }
  }

  showLogin(message) {
    $("#app-view").hidden = true;
    $("#login-view").hidden = false;
    $("#login-error").textContent = message || "";
  }

  async login() {
    try {
      const result = await api("POST", "/api/agent/login", {
        email: $("#login-email").value.trim(), password: $("#login-password").value,
      });
      csrf.set(result.csrf_token);
      $("#login-password").value = "";
      await this.loadIntents();
      this.showApp();
    } catch (error) {
      $("#login-error").textContent = error.status === 403 ? "Nur für Trainer und Admins." : error.message;
    }
  }

  showApp() {
    $("#login-view").hidden = true;
    $("#app-view").hidden = false;
    this.loadInbox();
    this.loadModels();
    this.pollTraining();
  }

  async loadIntents() {
    this.intents = (await api("GET", "/api/trainer/intents")).intents;
    const list = $("#intent-names");
    list.replaceChildren(...this.intents.map((name) => { const o = element("option"); o.value = name; return o; }));
  }

  async loadInbox() {
    const query = new URLSearchParams();
    for (const [key, selector] of [["since", "#filter-since"], ["until", "#filter-until"],
      ["intent", "#filter-intent"], ["reason", "#filter-reason"]]) {
      if ($(selector).value) query.set(key, $(selector).value);
    }
    try {
      const { items } = await api("GET", `/api/trainer/inbox?${query}`);
      $("#inbox-rows").replaceChildren(...items.map((item) => this.inboxRow(item)));
      $("#inbox-empty").hidden = items.length > 0;
    } catch (error) {
      say(error.message, true);
    }
  }

  inboxRow(item) {
    const row = element("tr");
    const text = element("td");
    text.append(element("div", item.text, "message"));
    for (const hint of item.agent_hints) text.append(element("div", `Agent: ${hint}`, "hint"));
    text.append(element("div", new Date(item.created_at).toLocaleString("de-DE"), "muted"));
    const understood = element("td", `${item.intent || "–"} (${percent(item.confidence)})`);
    if (item.tone_label) understood.append(element("div", `Ton: ${item.tone_label}`, "muted"));
    const reasons = element("td");
    for (const reason of item.reasons) reasons.append(element("span", REASON_LABELS[reason] || reason, "tag"));
    row.append(text, understood, reasons, this.annotationCell(item, row));
    return row;
  }

  annotationCell(item, row) {
    const cell = element("td", null, "annotate");
    const intent = element("select");
    intent.append(element("option", "Intent wählen …"));
    intent.firstChild.value = "";
    for (const name of this.intents) {
      const option = element("option", name);
      option.value = name;
      option.selected = name === item.intent;
      intent.append(option);
    }
    const tone = element("select");
    for (const label of TONE_LABELS) { const o = element("option", label); o.value = label; tone.append(o); }
    const send = (action, extra) => this.annotate(item.message_id, action, extra, row);
    const buttons = [
      ["Intent setzen", () => send(intent.value === item.intent ? "confirm" : "correct", { intent: intent.value })],
      ["Als Ton-Beispiel", () => send("tone", { tone_label: tone.value })],
      ["Verwerfen", () => send("dismiss", {})],
    ].map(([label, handler]) => { const b = element("button", label); b.type = "button"; b.addEventListener("click", handler); return b; });
    cell.append(intent, buttons[0], tone, buttons[1], buttons[2]);
    return cell;
  }

  async annotate(messageId, action, extra, row) {
    try {
      await api("POST", "/api/trainer/annotations", { message_id: messageId, action, ...extra });
      row.remove();
      say("Annotation gespeichert.");
    } catch (error) {
      say(error.message, true);
    }
  }

  async exportData(mode) {
    try {
      const result = await api("POST", "/api/trainer/export", { mode });
      const out = $("#export-result");
      out.hidden = false;
      const summary = `${result.added.length} neu, ${result.duplicates.length} doppelt, ${result.conflicts.length} Konflikte`;
      out.textContent = `${summary}\n\n${result.patch || "(keine Änderungen)"}`;
      say(mode === "write" ? `Exportiert: ${summary}` : "Patch erstellt (nichts geschrieben).");
    } catch (error) {
      say(error.message, true);
    }
  }

  async train() {
    try {
      await api("POST", "/api/trainer/training");
      this.pollTraining();
    } catch (error) {
      say(error.message, true);
    }
  }

  async pollTraining() {
    clearTimeout(this.pollTimer);
    let status;
    try {
      status = await api("GET", "/api/trainer/training");
    } catch (error) {
      say(error.message, true);
      return;
    }
    this.showTraining(status);
    if (status.stage === "training" || status.stage === "evaluating") {
      this.pollTimer = setTimeout(() => this.pollTraining(), POLL_MS);
    } else if (status.stage === "done") {
      this.loadModels();
    }
  }

  showTraining(status) {
    const box = $("#training");
    box.hidden = status.stage === "idle";
    const progress = (status.training && status.training.progress) || {};
    const share = progress.epochs ? progress.epoch / progress.epochs : 0;
    $("#training-bar").style.width = `${Math.round(share * 100)}%`;
    const parts = [`Phase: ${status.stage}`];
    if (progress.component) parts.push(`Komponente ${progress.component}`);
    if (progress.epochs) parts.push(`Epoche ${progress.epoch}/${progress.epochs}`);
    if (status.training) parts.push(`${seconds(status.training.seconds)} vergangen`);
    if (progress.remaining_seconds !== null && progress.remaining_seconds !== undefined) {
      parts.push(`noch ca. ${seconds(progress.remaining_seconds)} für diese Komponente`);
    }
    if (status.error) parts.push(`Fehler: ${status.error}`);
    $("#training-text").textContent = parts.join(" · ");
  }

  async loadModels() {
    try {
      const { models } = await api("GET", "/api/trainer/models");
      $("#model-rows").replaceChildren(...models.map((model) => this.modelRow(model)));
    } catch (error) {
      say(error.message, true);
    }
  }

  modelRow(model) {
    const metrics = model.metrics || {};
    const row = element("tr", null, `status-${model.status}`);
    const stories = metrics.stories ? `${metrics.stories.total - metrics.stories.failed}/${metrics.stories.total}` : "–";
    row.append(
      element("td", new Date(model.created_at).toLocaleString("de-DE")),
      element("td", STATUS_LABELS[model.status] || model.status),
      element("td", percent(metrics.nlu && metrics.nlu.macro_f1)),
      element("td", percent(metrics.tone && metrics.tone.macro_f1)),
      element("td", stories),
      this.comparisonCell(model),
      this.promoteCell(model),
    );
    return row;
  }

  comparisonCell(model) {
    const cell = element("td");
    const comparison = model.comparison;
    if (!comparison) return cell;
    cell.append(element("div", comparison.passed ? "Freigabe: bestanden" : "Freigabe: verweigert",
      comparison.passed ? "ok" : "error"));
    for (const violation of comparison.violations) cell.append(element("div", violation, "regression"));
    const changed = comparison.intents.filter((c) => Math.abs(c.delta) > 1e-9);
    const list = element("ul", null, "changes");
    for (const change of changed) {
      const sign = change.delta > 0 ? "+" : "";
      list.append(element("li", `${change.intent}: ${change.live.toFixed(2)} → ${change.candidate.toFixed(2)} (${sign}${change.delta.toFixed(2)})`,
        change.kind === "regression" ? "regression" : change.delta > 0 ? "better" : "worse"));
    }
    cell.append(list);
    if (model.override_by) cell.append(element("div", `Übersteuert von ${model.override_by}: ${model.override_reason}`, "muted"));
    return cell;
  }

  promoteCell(model) {
    const cell = element("td");
    if (!["candidate", "rejected"].includes(model.status) || !model.comparison) return cell;
    const button = element("button", model.comparison.passed ? "Live schalten" : "Trotzdem live (Admin)");
    button.type = "button";
    button.addEventListener("click", () => this.promote(model));
    cell.append(button);
    return cell;
  }

  async promote(model) {
    const body = {};
    if (!model.comparison.passed) {
      const reason = window.prompt("Begründung für das Übersteuern der Freigaberegeln:");
      if (!reason) return;
      body.override_reason = reason;
    }
    try {
      const result = await api("POST", `/api/trainer/models/${encodeURIComponent(model.id)}/promote`, body);
      say(`Modell ist live (Umschalten ${result.swap_seconds} s).`);
    } catch (error) {
      say(error.message, true);
    }
    this.loadModels();
  }

  async rollback() {
    try {
      await api("POST", "/api/trainer/rollback");
      say("Vorheriges Modell ist wieder live.");
    } catch (error) {
      say(error.message, true);
    }
    this.loadModels();
  }
}

new TrainerPage().start();
