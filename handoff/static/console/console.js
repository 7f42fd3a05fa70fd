// Agent console: login, live queue, several open conversations as tabs, presence status.

import { clear, h } from "../widget/dom.js";
import { api, csrf, listFrom } from "./api.js";
import { beep, notify, unlockAlerts } from "./alerts.js";
import { ConversationPane } from "./conversation.js";
import { GoodwillRequests } from "./goodwill.js";
import { IncidentsPanel } from "./incidents.js";
import { STATUSES, label } from "./labels.js";
import { QueuePanel } from "./queue.js";
import { AgentSocket } from "./socket.js";
import { TICKET_EVENTS, TicketsView } from "./tickets.js";
import "./ticket_mail.js";   // the e-mail panel of a ticket (issue 16)

const PRESENCE = Object.freeze({ ONLINE: "online", AWAY: "away" });
const REFRESH_DEBOUNCE_MS = 150;
// Events after which the queue or "my conversations" may look different; the console refetches instead of patching.
const QUEUE_EVENTS = new Set(["queue", "queue_changed", "state", "assigned", "unassigned", "deleted"]);

const $ = (selector) => document.querySelector(selector);

class Console {
  constructor() {
    this.agent = null;
    this.canned = [];
    this.panes = new Map();
    this.activeId = null;
    this.refreshTimer = null;
    this.tickets = new TicketsView({ root: $("#tickets-view"), me: () => this.agent, onDue: (due) => this.showDue(due),
      onOpenConversation: (id) => { this.showView("chats"); this.open(id); } });
    this.queue = new QueuePanel($("#queue-list"), $("#queue-count"), (id) => this.open(id));
    this.incidents = new IncidentsPanel({ list: $("#incidents-list"), counter: $("#incidents-count"), me: () => this.agent, onOpenConversation: (id) => this.open(id) });
    this.goodwillRequests = new GoodwillRequests({ section: $("#goodwill-requests"), list: $("#goodwill-requests-list"), counter: $("#goodwill-requests-count"), me: () => this.agent });
    this.socket = new AgentSocket({
      onEvent: (event) => this.onEvent(event),
      onLink: (open) => { $("#link").textContent = open ? "live" : "Verbindung wird wiederhergestellt …"; $("#link").dataset.open = String(open); },
      // Events sent while the socket was down are lost; refetch what is on screen.
      onOpen: () => {
        this.refreshLists();
        for (const pane of this.panes.values()) {
          pane.catchUp().catch(() => undefined);
        }
      },
    });
  }

  async start() {
    $("#login-form").addEventListener("submit", (event) => { event.preventDefault(); this.login(); });
    $("#logout").addEventListener("click", () => this.logout());
    $("#view-chats").addEventListener("click", () => this.showView("chats"));
    $("#view-tickets").addEventListener("click", () => this.showView("tickets"));
    $("#presence").addEventListener("change", (event) => this.setPresence(event.target.value));
    try {
      const me = await api("GET", "/api/agent/me");
      if (me && me.csrf_token) {
        csrf.set(me.csrf_token);
      }
      await this.enter(me.agent || me, me.status || PRESENCE.ONLINE);
    } catch (error) {
      this.showLogin();
    }
  }

  showLogin(message = "") {
    $("#app-view").hidden = true;
    $("#login-view").hidden = false;
    $("#login-error").textContent = message;
    $("#login-email").focus();
  }

  async login() {
    unlockAlerts();
    try {
      const result = await api("POST", "/api/agent/login", { email: $("#login-email").value.trim(), password: $("#login-password").value });
      csrf.set(result.csrf_token);
      $("#login-password").value = "";
      await this.enter(result.agent, PRESENCE.ONLINE);
    } catch (error) {
      $("#login-error").textContent = error.status === 401 || error.status === 403
        ? "Anmeldung fehlgeschlagen. Bitte E-Mail und Passwort prüfen." : error.message;
    }
  }

  async logout() {
    await api("POST", "/api/agent/logout", {}).catch(() => undefined);
    csrf.set("");
    this.socket.stop();
    for (const id of [...this.panes.keys()]) {
      this.close(id);
    }
    this.agent = null;
    this.showLogin();
  }

  /** Show the console; a fresh login goes online, a reload keeps the status the agent had chosen. */
  async enter(agent, presence) {
    this.agent = agent;
    $("#login-view").hidden = true;
    $("#app-view").hidden = false;
    $("#agent-name").textContent = agent.display_name || agent.email;
    $("#admin-link").hidden = agent.role !== "admin";
    this.socket.start();
    await this.setPresence(presence);
    api("GET", "/api/agent/canned").then((data) => { this.canned = listFrom(data, "canned", "items", "replies"); }).catch(() => undefined);
    await this.refreshLists();
  }

  async setPresence(status) {
    $("#presence").value = status;
    try {
      await api("PUT", "/api/agent/status", { status });
      $("#app-view").dataset.presence = status;
    } catch (error) {
      $("#link").textContent = error.message;
    }
  }

  scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refreshLists(), REFRESH_DEBOUNCE_MS);
  }

  /** Live chats (queue, conversations) or the ticket inbox; the header's due counts show in both. */
  showView(view) {
    const tickets = view === "tickets";
    $("#tickets-view").hidden = !tickets;
    for (const selector of [".sidebar", ".workspace"]) {
      document.querySelector(selector).hidden = tickets;
    }
    $("#view-tickets").setAttribute("aria-pressed", String(tickets));
    $("#view-chats").setAttribute("aria-pressed", String(!tickets));
    $("#app-view").dataset.view = view;
  }

  showDue(due) {
    for (const [key, text] of [["overdue", "überfällig"], ["soon", "bald fällig"]]) {
      const badge = $(`#due-${key}`);
      badge.textContent = `${due[key]} ${text}`;
      badge.dataset.count = String(due[key]);
    }
  }

  async refreshLists() {
    if (!this.agent) {
      return;
    }
    this.tickets.refresh();
    try {
      const [queueData, mineData] = await Promise.all([
        api("GET", "/api/agent/queue"),
        api("GET", "/api/agent/conversations?mine=1"),
      ]);
      const fresh = this.queue.update(listFrom(queueData, "items", "queue"));
      if (fresh.length && $("#app-view").dataset.presence === PRESENCE.ONLINE) {
        beep();
        notify("Neue Übergabe", fresh[0].first_customer_message || "Ein Kunde wartet auf Sie.");
      }
      this.renderMine(listFrom(mineData, "conversations", "items"));
      this.incidents.refresh();
      this.goodwillRequests.refresh();
    } catch (error) {
      if (error.status === 401) {
        this.socket.stop();
        this.showLogin("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.");
      }
    }
  }

  renderMine(conversations) {
    const list = $("#mine-list");
    clear(list);
    if (!conversations.length) {
      list.appendChild(h("li", { class: "empty" }, "Keine offenen Gespräche."));
    }
    for (const conversation of conversations) {
      list.appendChild(h("li", {}, h("button", { type: "button", class: "mine-open", onClick: () => this.open(conversation.id) },
        `Gespräch ${conversation.id.slice(0, 8)}`, h("span", { class: `status status--${conversation.status}` }, label(STATUSES, conversation.status)))));
    }
  }

  onEvent(event) {
    if (TICKET_EVENTS.has(event.type)) {
      this.tickets.onEvent(event);
      return;
    }
    this.incidents.onEvent(event);
    this.goodwillRequests.onEvent(event);
    const pane = event.conversation_id ? this.panes.get(event.conversation_id) : null;
    if (pane) {
      pane.onEvent(event);
    }
    if (QUEUE_EVENTS.has(event.type) || event.topic === "queue") {
      this.scheduleRefresh();
    }
  }

  async open(id) {
    if (!this.panes.has(id)) {
      const pane = new ConversationPane({
        id,
        me: () => this.agent,
        socket: this.socket,
        canned: () => this.canned,
        onChanged: () => this.scheduleRefresh(),
        onClosed: (closedId) => this.close(closedId),
      });
      this.panes.set(id, pane);
      $("#panes").appendChild(pane.element);
      try {
        await pane.load();
      } catch (error) {
        pane.hint.textContent = error.message;
      }
    }
    this.activate(id);
  }

  close(id) {
    const pane = this.panes.get(id);
    if (pane) {
      pane.dispose();
      this.panes.delete(id);
    }
    if (this.activeId === id) {
      this.activeId = null;
      const next = [...this.panes.keys()].pop();
      if (next) {
        this.activate(next);
        return;
      }
    }
    this.renderTabs();
  }

  activate(id) {
    this.activeId = id;
    for (const [paneId, pane] of this.panes) {
      pane.element.hidden = paneId !== id;
    }
    this.renderTabs();
  }

  renderTabs() {
    const tabs = $("#tabs");
    clear(tabs);
    $("#no-conversation").hidden = this.panes.size > 0;
    for (const [id, pane] of this.panes) {
      tabs.appendChild(h("button", {
        type: "button", role: "tab", class: "tab", "aria-selected": String(id === this.activeId), onClick: () => this.activate(id),
      }, `Gespräch ${pane.shortId}`));
    }
  }
}

new Console().start();
