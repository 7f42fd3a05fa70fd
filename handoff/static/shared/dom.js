// Building the staff pages (reports, trainer) from elements: server texts only ever through textContent.

export const $ = (selector, root = document) => root.querySelector(selector);

export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}
