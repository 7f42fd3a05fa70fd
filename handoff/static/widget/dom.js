// DOM only from elements and text nodes, never HTML strings: nothing anyone writes can become markup.

const SVG_NS = "http://www.w3.org/2000/svg";
let counter = 0;

/** h("button.nw-a.nw-b", {onClick: fn}, "Text", node); null/false attributes are skipped. */
export function h(tag, attributes = {}, ...children) {
  const [name, ...classes] = tag.split(".");
  const element = document.createElement(name);
  if (classes.length) element.className = classes.join(" ");
  for (const [name, value] of Object.entries(attributes)) {
    if (value == null || value === false) continue;
    if (/^on[A-Z]/.test(name)) element.addEventListener(name.slice(2).toLowerCase(), value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children.flat().filter((child) => child != null && child !== false));
  return element;
}

export const clear = (element) => element.replaceChildren();

export const uniqueId = (prefix) => `${prefix}-${++counter}`;

export function icon(pathData) {
  const svg = document.createElementNS(SVG_NS, "svg");
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", pathData);
  for (const [name, value] of [["viewBox", "0 0 24 24"], ["aria-hidden", "true"], ["focusable", "false"]]) svg.setAttribute(name, value);
  svg.append(path);
  return svg;
}

export const ICONS = {
  chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
  close: "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z",
  send: "M3 20.5 21 12 3 3.5v6.6l12 1.9-12 1.9z",
};

export function newClientId() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // randomUUID needs a secure context; plain-http shops get v4 ids too (4 = version, 8 = variant).
  return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (digit) =>
    (digit ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (digit / 4)))).toString(16));
}

export function formatTime(isoString) {
  const date = new Date(isoString || Date.now());
  return isNaN(date) ? "" : date.toLocaleTimeString("de-DE", { hour: "2-digit", minute: "2-digit" });
}
