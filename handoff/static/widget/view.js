// The widget's DOM, fed by app.js.

import { TEXTS, format } from "./config.js";
import { ICONS, formatTime, h, icon, uniqueId } from "./dom.js";

export const SENDER = { CUSTOMER: "customer", BOT: "bot", AGENT: "agent", SYSTEM: "system" };
const ACTIVITY = "activity";
const MAX_BADGE_COUNT = 9;
const PENDING = "nw-msg--pending";

const iconButton = (tag, label, iconName, attributes) =>
  h(tag, { type: "button", "aria-label": label, title: label, ...attributes }, icon(ICONS[iconName]));

export class WidgetView {
  constructor(config, handlers) {
    this.handlers = handlers;
    this.unread = 0;
    this.build(config);
  }

  build({ title, subtitle, greeting, primaryColor, primaryTextColor }) {
    const panelId = uniqueId("nw-panel");
    const titleId = uniqueId("nw-title");
    const inputId = uniqueId("nw-input");
    this.badge = h("span.nw-badge", { hidden: true });
    this.launcher = iconButton("button.nw-launcher", null, "chat", {
      "aria-expanded": "false", "aria-controls": panelId, onClick: () => this.setOpen(!this.isOpen),
    });
    this.launcher.append(this.badge);
    this.link = h("p.nw-link", { role: "status", hidden: true });
    this.notice = h("div.nw-notice", { role: "status", hidden: true });
    this.log = h("ol.nw-log");
    this.typingText = h("span");
    this.typing = h("p.nw-typing", { hidden: true }, h("span.nw-dots", { "aria-hidden": "true" }, h("i"), h("i"), h("i")), this.typingText);
    this.quickReplies = h("div.nw-quick", { role: "group", "aria-label": "Antwortvorschläge", hidden: true });
    this.forms = h("div");
    this.scroller = h("div.nw-scroll", { tabindex: 0 }, h("div", { role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": "Nachrichten" }, this.log), this.typing, this.quickReplies, this.forms);
    this.input = h("textarea.nw-input", {
      id: inputId, rows: "1", maxlength: "2000", placeholder: TEXTS.inputPlaceholder, autocomplete: "off",
      onKeydown: (event) => this.onInputKey(event), onInput: () => this.onInput(),
    });
    this.panel = h("section.nw-panel", { id: panelId, role: "dialog", "aria-labelledby": titleId, hidden: true,
      onKeydown: (event) => { if (event.key === "Escape") { event.preventDefault(); this.setOpen(false); } } },
      h("header.nw-header", {},
        h("div.nw-header__text", {}, h("h2.nw-title", { id: titleId }, title), h("p.nw-subtitle", {}, subtitle)),
        iconButton("button.nw-close", TEXTS.launcherClose, "close", { onClick: () => this.setOpen(false) })),
      this.link, this.notice, this.scroller,
      h("form.nw-composer", { onSubmit: (event) => { event.preventDefault(); this.submit(); } },
        h("label.nw-sr-only", { for: inputId }, TEXTS.inputLabel),
        this.input,
        iconButton("button.nw-send", TEXTS.send, "send", { type: "submit" })));
    this.root = h("div.nw-root", { id: "nordwind-widget" }, this.panel, this.launcher);
    if (primaryColor) this.root.style.setProperty("--nw-primary", primaryColor);
    if (primaryTextColor) this.root.style.setProperty("--nw-on-primary", primaryTextColor);
    this.log.append(this.messageElement({ sender_type: SENDER.BOT, text: greeting }));
    this.setUnread(0);
    document.body.append(this.root);
  }

  get isOpen() { return !this.panel.hidden; }

  setOpen(open) {
    this.panel.hidden = !open;
    this.root.classList.toggle("nw-root--open", open);
    this.launcher.setAttribute("aria-expanded", open);
    this.setUnread(open ? 0 : this.unread);
    this.scrollToEnd();
    (open ? this.input : this.launcher).focus();
    this.handlers.onToggle(open);
  }

  /** The label tells screen readers what the badge shows. */
  setUnread(count) {
    this.unread = count;
    this.badge.hidden = !count;
    this.badge.textContent = count > MAX_BADGE_COUNT ? `${MAX_BADGE_COUNT}+` : count;
    this.launcher.setAttribute("aria-label", this.isOpen ? TEXTS.launcherClose
      : count ? `${TEXTS.launcherOpen} – ${format(TEXTS.unread, { n: count })}` : TEXTS.launcherOpen);
  }

  onInputKey(event) {
    // Shift+Enter breaks the line; IME composition must not send half-typed words.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.submit();
    }
  }

  onInput() {
    this.input.style.height = "auto";
    this.input.style.height = `${this.input.scrollHeight}px`; // the CSS max-height caps it
    this.handlers.onCustomerTyping();
  }

  submit() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    this.onInput();
    this.handlers.onSend(text);
  }

  messageElement(message) {
    const sender = message.message_type === ACTIVITY ? SENDER.SYSTEM : message.sender_type || SENDER.SYSTEM;
    const item = h(`li.nw-msg.nw-msg--${sender}`, {}, h("p.nw-msg__text", {}, message.text || ""));
    if (sender === SENDER.SYSTEM) return item;
    const name = sender === SENDER.AGENT ? message.sender_name || TEXTS.agentFallbackName
      : sender === SENDER.CUSTOMER ? TEXTS.you : TEXTS.bot;
    item.prepend(h(sender === SENDER.AGENT ? "span.nw-msg__sender" : "span.nw-msg__sender.nw-sr-only", {}, `${name}: `));
    item.append(h("span.nw-msg__meta", {}, h("time", {}, formatTime(message.created_at)), h("span.nw-msg__status")));
    return item;
  }

  /** By seq, as replays after a reconnect may come after live events; unsent ones last. */
  place(element, seq) {
    element.dataset.seq = seq;
    const later = [...this.log.querySelectorAll("[data-seq]")].find((li) => li.dataset.seq > seq);
    this.log.insertBefore(element, later || this.log.querySelector(`.${PENDING}`));
  }

  addMessage(message, countsAsUnread) {
    this.place(this.messageElement(message), message.seq);
    this.afterNewContent(countsAsUnread);
  }

  addPending(clientId, text) {
    const element = this.messageElement({ sender_type: SENDER.CUSTOMER, text });
    element.classList.add(PENDING);
    element.dataset.clientId = clientId;
    this.log.append(element);
    this.setStatus(element, TEXTS.sending);
    this.afterNewContent(false);
  }

  pendingElement(clientId) {
    // Our own UUIDs: safe inside the selector.
    return this.log.querySelector(`.${PENDING}[data-client-id="${clientId}"]`);
  }

  setStatus(element, text) {
    if (element) element.querySelector(".nw-msg__status").textContent = text && ` · ${text}`;
  }

  confirmPending(clientId, seq) {
    const element = this.pendingElement(clientId);
    if (!element) return false;
    element.classList.remove(PENDING);
    this.setStatus(element, "");
    this.place(element, seq);
    return true;
  }

  failPending(clientId, reason) {
    const element = this.pendingElement(clientId);
    element?.classList.replace(PENDING, "nw-msg--failed");
    this.setStatus(element, reason ? format(TEXTS.notSentBecause, { reason }) : TEXTS.notSent);
  }

  delayPending(clientId) { this.setStatus(this.pendingElement(clientId), TEXTS.resendLater); }

  addNotice(text) {
    this.log.append(this.messageElement({ message_type: ACTIVITY, text }));
    this.afterNewContent(true);
  }

  afterNewContent(countsAsUnread) {
    if (countsAsUnread && !this.isOpen) this.setUnread(this.unread + 1);
    this.scrollToEnd();
  }

  scrollToEnd() { this.scroller.scrollTop = this.scroller.scrollHeight; }

  setLink(text) {
    this.link.hidden = !text;
    this.link.textContent = text;
  }

  setNotice(lines, kind) {
    this.notice.replaceChildren(...lines.map((line) => h("p", {}, line)));
    this.notice.hidden = !lines.length;
    this.notice.className = `nw-notice nw-notice--${kind}`;
  }

  setTyping(text) {
    this.typing.hidden = !text;
    this.typingText.textContent = text;
    if (text) this.scrollToEnd();
  }

  showQuickReplies(buttons) {
    this.quickReplies.replaceChildren(...buttons.map((button) => h("button.nw-chip", {
      type: "button",
      onClick: () => { this.showQuickReplies([]); this.handlers.onQuickReply(button); this.input.focus(); },
    }, button.title || button.payload)));
    this.quickReplies.hidden = !buttons.length;
    this.scrollToEnd();
  }

  showForm(element) {
    this.forms.replaceChildren(...[element].filter(Boolean));
    if (element) this.scrollToEnd();
  }
}
