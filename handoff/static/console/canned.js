// Canned replies: typing "/shortcut" in the composer opens a filtered list; Enter or Tab inserts the text.

import { clear, h, uniqueId } from "../widget/dom.js";

export class CannedAutocomplete {
  /** @param {HTMLTextAreaElement} input @param {function(): Array<{shortcut,title,text}>} replies */
  constructor(input, replies) {
    this.input = input;
    this.replies = replies;
    this.matches = [];
    this.active = 0;
    this.list = h("ul", { class: "canned", role: "listbox", id: uniqueId("canned"), hidden: true, "aria-label": "Textbausteine" });
    // A textarea cannot be a combobox, so no aria-expanded (not allowed on a textbox): the suggestions are
    // announced through aria-controls and aria-activedescendant.
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", this.list.id);
    input.addEventListener("input", () => this.refresh());
    input.addEventListener("keydown", (event) => this.onKey(event), true);
    input.addEventListener("blur", () => setTimeout(() => this.close(), 150));
  }

  get isOpen() {
    return !this.list.hidden;
  }

  refresh() {
    const match = /^\/(\S*)$/.exec(this.input.value);
    if (!match) {
      this.close();
      return;
    }
    const prefix = match[1].toLowerCase();
    this.matches = this.replies().filter((reply) => reply.shortcut.replace(/^\//, "").toLowerCase().startsWith(prefix)).slice(0, 8);
    this.active = 0;
    this.render();
  }

  render() {
    clear(this.list);
    this.list.hidden = this.matches.length === 0;
    this.matches.forEach((reply, index) => {
      const id = `${this.list.id}-${index}`;
      this.list.appendChild(h("li", {
        id, role: "option", class: index === this.active ? "canned-item active" : "canned-item",
        "aria-selected": String(index === this.active),
        onMousedown: (event) => { event.preventDefault(); this.insert(reply); },
      }, h("strong", {}, `/${reply.shortcut.replace(/^\//, "")}`), " ", h("span", {}, reply.title || ""), h("small", {}, reply.text)));
    });
    if (this.matches.length) {
      this.input.setAttribute("aria-activedescendant", `${this.list.id}-${this.active}`);
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  }

  onKey(event) {
    if (!this.isOpen) {
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.active = (this.active + step + this.matches.length) % this.matches.length;
      this.render();
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      event.stopImmediatePropagation();
      this.insert(this.matches[this.active]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopImmediatePropagation();
      this.close();
    }
  }

  insert(reply) {
    this.input.value = reply.text;
    this.close();
    this.input.focus();
    this.input.dispatchEvent(new Event("input"));
  }

  close() {
    this.matches = [];
    this.list.hidden = true;
    this.input.removeAttribute("aria-activedescendant");
  }
}
