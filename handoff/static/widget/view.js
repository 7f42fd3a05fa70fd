// The widget's DOM: launcher, panel, message log, notices, typing indicator, quick replies and composer.
// It knows nothing about the network; app.js feeds it.

import { TEXTS, format } from "./config.js";
import { ICONS, append, clear, formatTime, h, icon, uniqueId } from "./dom.js";

export const SENDER = Object.freeze({ CUSTOMER: "customer", BOT: "bot", AGENT: "agent", SYSTEM: "system" });
const ACTIVITY = "activity";

export class WidgetView {
  /** @param {object} config resolved config; @param {object} handlers onSend(text), onQuickReply(button), onToggle(open), onTyping() */
  constructor(config, handlers) {
    this.config = config;
    this.handlers = handlers;
    this.unread = 0;
    this.build();
  }

  build() {
    const panelId = uniqueId("nw-panel");
    const titleId = uniqueId("nw-title");
    const inputId = uniqueId("nw-input");
    this.badge = h("span", { class: "nw-badge", hidden: true });
    this.launcher = h("button", {
      class: "nw-launcher", type: "button", "aria-expanded": "false", "aria-controls": panelId,
      "aria-label": TEXTS.launcherOpen, onClick: () => this.toggle(),
    }, icon(ICONS.chat), this.badge);

    this.link = h("p", { class: "nw-link", role: "status", hidden: true });
    this.notice = h("div", { class: "nw-notice", role: "status", hidden: true });
    this.log = h("ol", { class: "nw-log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": "Nachrichten" });
    this.typing = h("p", { class: "nw-typing", hidden: true }, h("span", { class: "nw-dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")), h("span", { class: "nw-typing__text" }));
    this.quickReplies = h("div", { class: "nw-quick", role: "group", "aria-label": "Antwortvorschläge", hidden: true });
    this.forms = h("div", { class: "nw-forms" });
    this.input = h("textarea", {
      id: inputId, class: "nw-input", rows: "1", maxlength: "2000", placeholder: TEXTS.inputPlaceholder,
      autocomplete: "off", onKeydown: (event) => this.onInputKey(event), onInput: () => this.onInput(),
    });
    this.composer = h("form", { class: "nw-composer", onSubmit: (event) => { event.preventDefault(); this.submit(); } },
      h("label", { class: "nw-sr-only", for: inputId }, TEXTS.inputLabel),
      this.input,
      h("button", { class: "nw-send", type: "submit", "aria-label": TEXTS.send, title: TEXTS.send }, icon(ICONS.send)));

    this.panel = h("section", { id: panelId, class: "nw-panel", role: "dialog", "aria-labelledby": titleId, hidden: true,
      onKeydown: (event) => { if (event.key === "Escape") { event.preventDefault(); this.close(); } } },
      h("header", { class: "nw-header" },
        h("div", { class: "nw-header__text" },
          h("h2", { id: titleId, class: "nw-title" }, this.config.title),
          h("p", { class: "nw-subtitle" }, this.config.subtitle)),
        h("button", { class: "nw-close", type: "button", "aria-label": TEXTS.close, title: TEXTS.close, onClick: () => this.close() }, icon(ICONS.close))),
      this.link, this.notice,
      h("div", { class: "nw-scroll" }, this.log, this.typing, this.quickReplies, this.forms),
      this.composer);

    this.root = h("div", { class: "nw-root", id: "nordwind-widget" }, this.panel, this.launcher);
    if (this.config.primaryColor) {
      this.root.style.setProperty("--nw-primary", this.config.primaryColor);
    }
    if (this.config.primaryTextColor) {
      this.root.style.setProperty("--nw-on-primary", this.config.primaryTextColor);
    }
    this.addGreeting();
    document.body.appendChild(this.root);
  }

  get isOpen() {
    return !this.panel.hidden;
  }

  toggle() {
    if (this.isOpen) {
      this.close();
    } else {
      this.open();
    }
  }

  open() {
    this.panel.hidden = false;
    this.root.classList.add("nw-root--open");
    this.launcher.setAttribute("aria-expanded", "true");
    this.launcher.setAttribute("aria-label", TEXTS.launcherClose);
    this.setUnread(0);
    this.scrollToEnd();
    this.input.focus();
    this.handlers.onToggle(true);
  }

  close() {
    if (!this.isOpen) {
      return;
    }
    this.panel.hidden = true;
    this.root.classList.remove("nw-root--open");
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.setAttribute("aria-label", TEXTS.launcherOpen);
    this.launcher.focus();
    this.handlers.onToggle(false);
  }

  setUnread(count) {
    this.unread = count;
    this.badge.hidden = count === 0;
    this.badge.textContent = count > 9 ? "9+" : String(count);
    this.launcher.setAttribute("aria-label", count > 0 && !this.isOpen
      ? `${TEXTS.launcherOpen} – ${format(TEXTS.unread, { n: count })}` : (this.isOpen ? TEXTS.launcherClose : TEXTS.launcherOpen));
  }

  onInputKey(event) {
    // Enter sends, Shift+Enter breaks the line; IME composition must not send half-typed words.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.submit();
    }
  }

  onInput() {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
    this.handlers.onTyping();
  }

  submit() {
    const text = this.input.value.trim();
    if (!text) {
      return;
    }
    this.input.value = "";
    this.onInput();
    this.handlers.onSend(text);
  }

  addGreeting() {
    this.log.appendChild(this.messageElement({ sender_type: SENDER.BOT, message_type: "outgoing", text: this.config.greeting }, "greeting"));
  }

  messageElement(message, key) {
    const sender = message.message_type === ACTIVITY ? SENDER.SYSTEM : (message.sender_type || SENDER.SYSTEM);
    const item = h("li", { class: `nw-msg nw-msg--${sender}`, "data-key": key });
    if (sender === SENDER.SYSTEM) {
      append(item, h("p", { class: "nw-msg__text" }, message.text || ""));
      return item;
    }
    const senderName = sender === SENDER.AGENT ? (message.sender_name || TEXTS.agentFallbackName)
      : sender === SENDER.CUSTOMER ? TEXTS.you : TEXTS.bot;
    append(item,
      h("span", { class: sender === SENDER.AGENT ? "nw-msg__sender" : "nw-msg__sender nw-sr-only" }, `${senderName}: `),
      h("p", { class: "nw-msg__text" }, message.text || ""),
      h("span", { class: "nw-msg__meta" }, h("time", {}, formatTime(message.created_at)), h("span", { class: "nw-msg__status" })));
    return item;
  }

  /** Insert by seq so a replay after reconnect lands in order even if live events raced ahead of it. */
  addMessage(message, countsAsUnread) {
    const element = this.messageElement(message, `seq-${message.seq}`);
    element.dataset.seq = String(message.seq);
    const later = Array.from(this.log.querySelectorAll("li[data-seq]")).find((li) => Number(li.dataset.seq) > message.seq);
    const firstPending = this.log.querySelector("li.nw-msg--pending");
    this.log.insertBefore(element, later || firstPending || null);
    this.afterNewContent(countsAsUnread);
    return element;
  }

  addPending(clientId, text) {
    const element = this.messageElement({ sender_type: SENDER.CUSTOMER, message_type: "incoming", text }, `client-${clientId}`);
    element.classList.add("nw-msg--pending");
    element.dataset.clientId = clientId;
    element.querySelector(".nw-msg__status").textContent = ` · ${TEXTS.sending}`;
    this.log.appendChild(element);
    this.afterNewContent(false);
    return element;
  }

  pendingElement(clientId) {
    return Array.from(this.log.querySelectorAll("li.nw-msg--pending")).find((li) => li.dataset.clientId === clientId) || null;
  }

  /** The server stored the message: it becomes an ordinary message with its seq. */
  confirmPending(clientId, seq) {
    const element = this.pendingElement(clientId);
    if (!element) {
      return false;
    }
    element.classList.remove("nw-msg--pending");
    element.dataset.seq = String(seq);
    element.querySelector(".nw-msg__status").textContent = "";
    const later = Array.from(this.log.querySelectorAll("li[data-seq]")).find((li) => Number(li.dataset.seq) > seq);
    if (later) {
      this.log.insertBefore(element, later);
    }
    return true;
  }

  /** Refused for good: the bubble stays, marked, with the reason when the server gave one. */
  failPending(clientId, reason) {
    const element = this.pendingElement(clientId);
    if (element) {
      element.classList.remove("nw-msg--pending");
      element.classList.add("nw-msg--failed");
      const status = reason ? format(TEXTS.notSentBecause, { reason }) : TEXTS.notSent;
      element.querySelector(".nw-msg__status").textContent = ` · ${status}`;
    }
  }

  /** Refused for now (rate limit, service briefly away): still pending, the widget resends it by itself. */
  delayPending(clientId) {
    const element = this.pendingElement(clientId);
    if (element) {
      element.querySelector(".nw-msg__status").textContent = ` · ${TEXTS.resendLater}`;
    }
  }

  addNotice(text) {
    this.log.appendChild(this.messageElement({ sender_type: SENDER.SYSTEM, message_type: ACTIVITY, text }, "local"));
    this.afterNewContent(true);
  }

  afterNewContent(countsAsUnread) {
    if (countsAsUnread && !this.isOpen) {
      this.setUnread(this.unread + 1);
    }
    this.scrollToEnd();
  }

  scrollToEnd() {
    const scroller = this.panel.querySelector(".nw-scroll");
    scroller.scrollTop = scroller.scrollHeight;
  }

  setLink(text) {
    this.link.hidden = !text;
    this.link.textContent = text || "";
  }

  /** Status banner (queued / agent joined). Lines are separate text nodes, never markup. */
  setNotice(lines, kind) {
    clear(this.notice);
    this.notice.hidden = lines.length === 0;
    this.notice.className = `nw-notice nw-notice--${kind || "info"}`;
    for (const line of lines) {
      this.notice.appendChild(h("p", {}, line));
    }
  }

  setTyping(text) {
    this.typing.hidden = !text;
    this.typing.querySelector(".nw-typing__text").textContent = text || "";
    if (text) {
      this.scrollToEnd();
    }
  }

  showQuickReplies(buttons) {
    clear(this.quickReplies);
    this.quickReplies.hidden = buttons.length === 0;
    for (const button of buttons) {
      this.quickReplies.appendChild(h("button", {
        type: "button", class: "nw-chip",
        onClick: () => { this.showQuickReplies([]); this.handlers.onQuickReply(button); this.input.focus(); },
      }, button.title || button.payload));
    }
    this.scrollToEnd();
  }

  showForm(element) {
    clear(this.forms);
    if (element) {
      this.forms.appendChild(element);
      this.scrollToEnd();
    }
  }
}
