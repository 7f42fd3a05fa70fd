// Reports page: one period (and the one before), every chart with a table alternative and a CSV download.
// Definitions: docs/reports.md. Numbers in German formats; server texts only through textContent.
import { api } from "/console/api.js";
import { REASONS, TONES, TOPICS } from "/console/labels.js";
import { $, element } from "/shared/dom.js";
import { DE, dec, decimal, missing, num, pct, percentFormat } from "/shared/format.js";
import { loginView } from "/shared/login.js";

const OVERVIEW_ROLES = new Set(["supervisor", "admin"]);
const TOPIC_ROLES = new Set(["trainer", "supervisor", "admin"]);
const CHANNELS = { widget: "Website-Widget", rest: "REST", socketio: "socket.io", email: "E-Mail", other: "andere" };
const COLORS = ["#0f6cbd", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#4b5563",
  "#be185d", "#1e3a8a"];
const signedPercent = new Intl.NumberFormat(DE, { style: "percent", maximumFractionDigits: 0, signDisplay: "exceptZero" });
const dateFormat = new Intl.DateTimeFormat(DE, { day: "2-digit", month: "2-digit", year: "numeric" });

const charts = new Map();

function duration(seconds) {
  if (missing(seconds)) return "–";
  const total = Math.round(seconds);
  if (total < 60) return `${total} Sek.`;
  const minutes = Math.round(total / 60);
  if (minutes < 60) return `${minutes} Min.`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return rest ? `${hours} Std. ${rest} Min.` : `${hours} Std.`;
  return `${decimal.format(hours / 24)} Tage`;
}

function localDay(iso) {
  return dateFormat.format(new Date(`${iso}T12:00:00`));
}

function bucketLabel(bucket, granularity) {
  if (granularity === "hour") return `${bucket.slice(11, 13)} Uhr`;
  if (granularity === "week") return `Woche ab ${localDay(bucket)}`;
  return localDay(bucket);
}

const reasonLabel = (code) => REASONS[code] || code;
const topicLabel = (code) => (code === "nlu_fallback" ? "Nicht verstanden (Fallback)" : TOPICS[code] || code);

// --- blocks: a title, a chart (canvas) or none, the table alternative, a CSV link ---

function table(head, rows, numeric = []) {
  const node = element("table");
  const headRow = element("tr");
  head.forEach((title, index) => {
    const th = element("th", title, numeric.includes(index) ? "num" : "");
    th.scope = "col";
    headRow.append(th);
  });
  node.append(element("thead"), element("tbody"));
  node.tHead.append(headRow);
  for (const row of rows) {
    const tr = element("tr");
    row.forEach((cell, index) => {
      const td = element("td", cell instanceof Node ? null : cell, numeric.includes(index) ? "num" : "");
      if (cell instanceof Node) td.append(cell);
      tr.append(td);
    });
    node.tBodies[0].append(tr);
  }
  return node;
}

function renderBlock(block, spec, csvHref) {
  const title = block.dataset.title;
  const old = charts.get(block.dataset.section);
  if (old) old.destroy();
  charts.delete(block.dataset.section);
  block.replaceChildren(element("h3", title));
  const tableNode = table(spec.head, spec.rows, spec.numeric);
  const tableId = `table-${block.dataset.section}`;
  tableNode.id = tableId;
  tableNode.createCaption().textContent = title;
  if (spec.chart && window.Chart) {
    const wrap = element("div", null, "chart-wrap");
    if (spec.height) wrap.style.height = spec.height;
    const canvas = element("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `${title}: Diagramm, dieselben Zahlen stehen in der Tabelle darunter.`);
    canvas.setAttribute("aria-describedby", tableId);
    wrap.append(canvas);
    block.append(wrap);
    charts.set(block.dataset.section, new window.Chart(canvas, chartConfig(spec.chart)));
    const details = element("details");
    details.append(element("summary", "Als Tabelle anzeigen"), tableNode);
    block.append(details);
  } else {
    block.append(tableNode);
  }
  const actions = element("div", null, "block-actions");
  const link = element("a", "CSV herunterladen", "csv");
  link.href = csvHref;
  link.setAttribute("download", "");
  actions.append(link);
  block.append(actions);
}

function chartConfig({ type, labels, datasets, stacked = false, horizontal = false, percent = false }) {
  const tick = percent ? { callback: (value) => percentFormat.format(value) } : { precision: 0 };
  const valueAxis = { beginAtZero: true, stacked, ticks: tick };
  const categoryAxis = { stacked };
  return {
    type,
    data: { labels, datasets: datasets.map((set, index) => ({ backgroundColor: COLORS[index % COLORS.length], ...set })) },
    options: {
      locale: DE, animation: false, maintainAspectRatio: false, indexAxis: horizontal ? "y" : "x",
      plugins: { legend: { display: datasets.length > 1 } },
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
    },
  };
}

// --- the sections ---

function tile(label, value, previous, change) {
  const node = element("div", null, "tile");
  node.append(element("div", value, "value"), element("div", label, "label"));
  if (previous !== undefined) {
    const delta = missing(change) ? "kein Vergleich" : `${signedPercent.format(change)} ggü. Vorperiode`;
    node.append(element("div", `${delta} (vorher ${previous})`, "delta"));
  }
  return node;
}

function tiles(id, items) {
  $(id).replaceChildren(...items.map((item) => tile(...item)));
}

class ReportsPage {
  constructor() {
    this.role = null;
  }

  async start() {
    this.signIn = loginView("Nordwind Berichte", () => this.whoAmI());
    $("#period-form").addEventListener("submit", (event) => { event.preventDefault(); this.load(); });
    $("#period-kind").addEventListener("change", () => this.showPeriodInputs());
    $("#period-date").value = new Date().toISOString().slice(0, 10);
    this.showPeriodInputs();
    try {
      await this.whoAmI();
    } catch (error) {
      this.signIn.show(error.status === 401 ? "" : error.message);
    }
  }

  async whoAmI() {
    const me = await api("GET", "/api/agent/me");
    this.role = me.agent.role;
    if (!TOPIC_ROLES.has(this.role)) {
      this.signIn.show("Berichte sind für Supervisoren, Admins und (Themen) Trainer freigegeben.");
      return;
    }
    $("#who").textContent = `${me.agent.display_name} (${this.role})`;
    this.signIn.hide();
    await this.load();
  }

  showPeriodInputs() {
    const custom = $("#period-kind").value === "custom";
    document.querySelectorAll(".custom").forEach((node) => { node.hidden = !custom; });
    $(".anchor").hidden = custom;
  }

  query() {
    const params = new URLSearchParams({ period: $("#period-kind").value });
    if (params.get("period") === "custom") {
      params.set("from", $("#period-from").value);
      params.set("to", $("#period-to").value);
    } else if ($("#period-date").value) {
      params.set("date", $("#period-date").value);
    }
    return params;
  }

  async load() {
    const params = this.query();
    $("#period-error").textContent = "";
    const overview = OVERVIEW_ROLES.has(this.role);
    try {
      const [report, topics] = await Promise.all([
        overview ? api("GET", `/api/reports/overview?${params}`) : null,
        api("GET", `/api/reports/topics?${params}`),
      ]);
      const period = topics.period;
      $("#period-label").textContent = `${localDay(period.from)} – ${localDay(period.to)} (${period.time_zone})`;
      document.querySelectorAll(".overview").forEach((node) => { node.hidden = !overview; });
      if (report) this.renderOverview(report, params);
      this.renderTopics(topics, params);
    } catch (error) {
      $("#period-error").textContent = error.message;
    }
  }

  csv(section, params) {
    const query = new URLSearchParams(params);
    if (section === "topics") return `/api/reports/topics.csv?${query}`;
    query.set("section", section);
    return `/api/reports/overview.csv?${query}`;
  }

  block(section) {
    return document.querySelector(`[data-section="${section}"]`);
  }

  renderOverview(report, params) {
    const { volume, outcome, waiting, csat } = report;
    const previous = report.previous;
    const changes = report.changes;
    tiles("#tiles-volume", [
      ["Gespräche", num(volume.conversations), num(previous.conversations), changes.conversations],
      ["Kundennachrichten", num(volume.customer_messages), num(previous.customer_messages), changes.customer_messages],
    ]);
    renderBlock(this.block("volume"), {
      head: ["Kanal", "Gespräche", "Kundennachrichten", "Anteil"], numeric: [1, 2, 3],
      rows: volume.channels.map((c) => [CHANNELS[c.channel] || c.channel, num(c.conversations), num(c.customer_messages), pct(c.share)]),
      chart: { type: "bar", labels: volume.channels.map((c) => CHANNELS[c.channel] || c.channel),
        datasets: [{ label: "Gespräche", data: volume.channels.map((c) => c.conversations) }] },
    }, this.csv("volume", params));

    tiles("#tiles-outcome", [
      ["Eindämmung (ohne Mensch gelöst)", pct(outcome.containment_rate), pct(previous.containment_rate), changes.containment_rate],
      ["Übergabequote", pct(outcome.handoff_rate), pct(previous.handoff_rate), changes.handoff_rate],
      ["Tickets außerhalb der Geschäftszeiten", num(outcome.after_hours_tickets), num(previous.after_hours_tickets), changes.after_hours_tickets],
    ]);
    const reasons = report.handoff_reasons;
    renderBlock(this.block("handoff_reasons"), {
      head: ["Zeitraum", ...reasons.series.map((s) => reasonLabel(s.reason))],
      numeric: reasons.series.map((_s, index) => index + 1),
      rows: reasons.buckets.map((bucket, index) => [bucketLabel(bucket, reasons.granularity), ...reasons.series.map((s) => num(s.counts[index]))]),
      chart: { type: "bar", stacked: true, labels: reasons.buckets.map((b) => bucketLabel(b, reasons.granularity)),
        datasets: reasons.series.map((s) => ({ label: reasonLabel(s.reason), data: s.counts })) },
    }, this.csv("handoff_reasons", params));
    renderBlock(this.block("outcome"), {
      head: ["Kennzahl", "Wert"], numeric: [1],
      rows: [["Gespräche", num(outcome.conversations)], ["Vom Bot bedient", num(outcome.bot_engaged)],
        ["Ohne Mensch gelöst", num(outcome.contained)], ["Eindämmungsquote", pct(outcome.containment_rate)],
        ["Übergeben", num(outcome.handed_off)], ["Übergabequote", pct(outcome.handoff_rate)],
        ["Übergabequote über alle Gespräche (Chatwoot-Zählung)", pct(outcome.handoff_rate_all_conversations)],
        ["Tickets außerhalb der Geschäftszeiten", num(outcome.after_hours_tickets)],
        ["Tickets, weil niemand frei war", num(outcome.no_agent_tickets)]],
    }, this.csv("outcome", params));

    tiles("#tiles-waiting", [
      ["Erste Antwort p50 (Geschäftszeit)", duration(waiting.first_response.p50_business_seconds),
        duration(previous.first_response_p50_business_seconds), changes.first_response_p50_business_seconds],
      ["Abgebrochene Wartezeiten", `${num(waiting.abandoned)} von ${num(waiting.queued)}`, num(previous.abandoned), changes.abandoned],
    ]);
    const waits = [["Zeit in der Warteschlange", waiting.time_in_queue], ["Erste Antwort", waiting.first_response],
      ["Lösungszeit", waiting.resolution]];
    renderBlock(this.block("waiting"), {
      head: ["Kennzahl", "Anzahl", "p50", "p90", "p50 Geschäftszeit", "p90 Geschäftszeit"], numeric: [1, 2, 3, 4, 5],
      rows: waits.map(([label, s]) => [label, num(s.count), duration(s.p50_seconds), duration(s.p90_seconds),
        duration(s.p50_business_seconds), duration(s.p90_business_seconds)]),
    }, this.csv("waiting", params));
    renderBlock(this.block("frt_distribution"), {
      head: ["Erste Antwort nach", "Übergaben"], numeric: [1],
      rows: report.frt_distribution.map((b) => [b.bucket, num(b.count)]),
      chart: { type: "bar", labels: report.frt_distribution.map((b) => b.bucket),
        datasets: [{ label: "Übergaben", data: report.frt_distribution.map((b) => b.count) }] },
    }, this.csv("frt_distribution", params));

    this.renderTickets(report.tickets, params);

    tiles("#tiles-csat", [
      ["Durchschnitt (1–5)", dec(csat.average), dec(previous.csat_average), changes.csat_average],
      ["Zufrieden (4–5 Sterne)", pct(csat.satisfaction_score), pct(previous.satisfaction_score), changes.satisfaction_score],
      ["Antwortquote", pct(csat.response_rate), pct(previous.response_rate), changes.response_rate],
    ]);
    const stars = [1, 2, 3, 4, 5];
    renderBlock(this.block("csat"), {
      head: ["Bewertung", "Anzahl"], numeric: [1],
      rows: [...stars.map((s) => [`${s} ${s === 1 ? "Stern" : "Sterne"}`, num(csat.distribution[String(s)])]),
        ["Umfragen gesendet", num(csat.surveys_sent)], ["Umfragen beantwortet", num(csat.surveys_answered)]],
      chart: { type: "bar", labels: stars.map((s) => `${s} ★`),
        datasets: [{ label: "Bewertungen", data: stars.map((s) => csat.distribution[String(s)]) }] },
    }, this.csv("csat", params));
  }

  renderTickets(tickets, params) {
    const section = $("#section-tickets");
    if (!tickets) {
      section.hidden = true;
      return;
    }
    tiles("#tiles-tickets", [["Erstellt", num(tickets.created)], ["Gelöst", num(tickets.solved)],
      ["Überfällig", num(tickets.overdue)], ["SLA eingehalten", pct(tickets.sla_met_rate)]]);
    const rows = [...tickets.by_kind.map((r) => ["Art", r.label || r.name, r]),
      ...tickets.by_agent.map((r) => ["Bearbeiter", r.label || r.name, r])];
    renderBlock(this.block("tickets"), {
      head: ["Gruppe", "Name", "Erstellt", "Gelöst", "Überfällig", "SLA eingehalten"], numeric: [2, 3, 4, 5],
      rows: rows.map(([group, name, r]) => [group, name, num(r.created), num(r.solved), num(r.overdue), pct(r.sla_met_rate)]),
    }, this.csv("tickets", params));
  }

  renderTopics(result, params) {
    $("#section-topics").hidden = false;
    const topics = result.topics;
    renderBlock(this.block("topics"), {
      head: ["Thema", "Nachrichten", "Nicht verstanden", "Gespräche", "Übergabequote", "Ton (ruhig / verärgert / ausfallend)"],
      numeric: [1, 2, 3, 4],
      rows: topics.map((t) => {
        const link = element("a", topicLabel(t.intent));
        link.href = `/trainer?intent=${encodeURIComponent(t.intent)}`;
        link.title = "In der Prüfliste ansehen";
        const tones = ["calm", "frustrated", "abusive"].map((k) => `${num(t.tones[k])} ${TONES[k]}`).join(" / ");
        return [link, num(t.messages), pct(t.not_understood_rate), num(t.conversations), pct(t.handoff_rate), tones];
      }),
      height: `${Math.max(16, 4 + topics.length * 1.6)}rem`,
      chart: { type: "bar", horizontal: true, percent: true, labels: topics.map((t) => topicLabel(t.intent)),
        datasets: [{ label: "Nicht verstanden", data: topics.map((t) => t.not_understood_rate) },
          { label: "Übergabequote", data: topics.map((t) => t.handoff_rate) }] },
    }, this.csv("topics", params));
  }
}

new ReportsPage().start();
