// Trainer page: review inbox, annotate, export, retrain with progress, compare, promote, roll back.
// Everything the server sends is shown with textContent only (customer texts are untrusted, even redacted).
import { api } from "/console/api.js";
import { $, element } from "/shared/dom.js";
import { pctFixed } from "/shared/format.js";
import { loginView } from "/shared/login.js";

const POLL_MS = 2000;
const REASON_LABELS = {
  fallback: "nicht verstanden", low_confidence: "unsicher", handoff: "Übergabe", tone: "Tonlage",
  negative_csat: "schlechte Bewertung",
};
const STATUS_LABELS = {
  candidate: "Kandidat", rejected: "abgelehnt", live: "live", previous: "vorheriges", retired: "archiviert",
};
const TONE_LABELS = ["calm", "frustrated", "abusive"];

function say(message, isError = false) {
  const status = $("#status");
  status.textContent = message;
  status.className = isError ? "error" : "";
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
    this.signIn = loginView("Nordwind Training", () => this.signedIn(),
      (error) => (error.status === 403 ? "Nur für Trainer und Admins." : error.message));
    $("#filters").addEventListener("submit", (event) => { event.preventDefault(); this.loadInbox(); });
    $("#export-patch").addEventListener("click", () => this.exportData("patch"));
    $("#export-write").addEventListener("click", () => this.exportData("write"));
    $("#train").addEventListener("click", () => this.train());
    $("#rollback").addEventListener("click", () => this.rollback());
    // /trainer?intent=order_status: the reports page links each topic to its part of the Prüfliste.
    const linked = new URLSearchParams(window.location.search).get("intent");
    if (linked) $("#filter-intent").value = linked;
    try {
      await this.signedIn();
    } catch (error) {
      this.signIn.show(error.status === 401 || error.status === 403 ? "" : error.message);
    }
  }

  async signedIn() {
    await this.loadIntents();
    this.signIn.hide();
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
      // One row per group of identical or near-identical messages, the most frequent first.
      const { groups } = await api("GET", `/api/trainer/inbox?${query}`);
      $("#inbox-rows").replaceChildren(...groups.map((group) => this.inboxRow(group)));
      $("#inbox-empty").hidden = groups.length > 0;
    } catch (error) {
      say(error.message, true);
    }
  }

  inboxRow(group) {
    const row = element("tr");
    const text = element("td");
    text.append(element("div", group.text, "message"));
    for (const hint of group.agent_hints) text.append(element("div", `Agent: ${hint}`, "hint"));
    const seen = group.count === 1
      ? new Date(group.last_seen).toLocaleString("de-DE")
      : `${group.count}× · zuerst ${new Date(group.first_seen).toLocaleString("de-DE")} · zuletzt ${new Date(group.last_seen).toLocaleString("de-DE")}`;
    text.append(element("div", seen, group.count > 1 ? "muted count" : "muted"));
    const understood = element("td");
    if (group.count === 1) {
      const only = group.members[0];
      understood.textContent = `${only.intent || "–"} (${pctFixed(only.confidence)})`;
    } else {
      understood.textContent = group.intents.map((i) => `${i.intent} ${i.count}×`).join(", ") || "–";
    }
    const reasons = element("td");
    for (const reason of group.reasons) reasons.append(element("span", REASON_LABELS[reason] || reason, "tag"));
    row.append(text, understood, reasons, this.annotationCell(group, row));
    return row;
  }

  annotationCell(group, row) {
    const cell = element("td", null, "annotate");
    const usual = group.intents.length ? group.intents[0].intent : null;
    const intent = element("select");
    intent.setAttribute("aria-label", "Intent");
    intent.append(element("option", "Intent wählen …"));
    intent.firstChild.value = "";
    for (const name of this.intents) {
      const option = element("option", name);
      option.value = name;
      option.selected = name === usual;
      intent.append(option);
    }
    const tone = element("select");
    tone.setAttribute("aria-label", "Tonlage");
    for (const label of TONE_LABELS) { const o = element("option", label); o.value = label; tone.append(o); }
    const onlyIntent = group.intents.length === 1 ? usual : null;
    const send = (action, extra, label) => this.annotate(group, action, extra, row, cell, label);
    const buttons = [
      ["Intent setzen", () => send(intent.value === onlyIntent ? "confirm" : "correct", { intent: intent.value },
        `Intent ${intent.value || "?"}`)],
      ["Als Ton-Beispiel", () => send("tone", { tone_label: tone.value }, `Ton-Beispiel ${tone.value}`)],
      ["Verwerfen", () => send("dismiss", {}, "Verwerfen")],
    ].map(([label, handler]) => { const b = element("button", label); b.type = "button"; b.addEventListener("click", handler); return b; });
    cell.append(intent, buttons[0], tone, buttons[1], buttons[2]);
    return cell;
  }

  async annotate(group, action, extra, row, cell, label) {
    if (group.count === 1) {
      await this.save(() => api("POST", "/api/trainer/annotations",
        { message_id: group.message_ids[0], action, ...extra }), row, "Annotation gespeichert.");
      return;
    }
    // A whole group: show every member it will label, and save only on a second, explicit click.
    cell.querySelector(".confirm")?.remove();
    const box = element("div", null, "confirm");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Gruppe annotieren");
    box.append(element("p", `„${label}“ für diese ${group.count} Nachrichten:`));
    const list = element("ul", null, "members");
    for (const member of group.members) {
      list.append(element("li", `${member.text} (${new Date(member.created_at).toLocaleString("de-DE")})`));
    }
    if (group.count > group.members.length) list.append(element("li", `… und ${group.count - group.members.length} weitere`));
    const save = element("button", `Für alle ${group.count} speichern`, "primary");
    save.type = "button";
    save.addEventListener("click", () => this.save(() => api("POST", "/api/trainer/annotations/group",
      { message_ids: group.message_ids, action, ...extra }), row, null));
    const cancel = element("button", "Abbrechen");
    cancel.type = "button";
    cancel.addEventListener("click", () => box.remove());
    box.append(list, save, cancel);
    cell.append(box);
    save.focus();
  }

  async save(request, row, message) {
    try {
      const result = await request();
      row.remove();
      if (message) {
        say(message);
      } else {
        const skipped = result.skipped.length ? `, ${result.skipped.length} waren schon annotiert` : "";
        say(`${result.count} Annotationen gespeichert${skipped}.`);
      }
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
      element("td", pctFixed(metrics.nlu && metrics.nlu.macro_f1)),
      element("td", pctFixed(metrics.tone && metrics.tone.macro_f1)),
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
