/*
 * Nordwind customer chat widget: the one file a shop page embeds:
 *   <script src="https://support.example/widget.js" defer></script>
 * Options (data- attributes on the tag, or window.NordwindWidgetConfig = {...} set before it):
 *   data-title, data-subtitle, data-greeting, data-primary-color, data-primary-text-color,
 *   data-api-base (default: the origin widget.js came from), data-storage-key, data-open="true".
 *
 * A classic script on purpose: only classic scripts see `document.currentScript`, which tells the widget its
 * API origin and data- attributes. The widget itself is ES modules next to this file, so embedding stays one tag.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script || window.__nordwindWidgetLoaded) return;
  window.__nordwindWidgetLoaded = true;

  const scriptUrl = new URL(script.src, document.baseURI);
  // data- attributes win over defaults, NordwindWidgetConfig over data- (the page owner's JS is most deliberate).
  const config = { apiBase: scriptUrl.origin, ...script.dataset, ...window.NordwindWidgetConfig };

  const stylesheet = document.createElement("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = new URL("widget.css", scriptUrl).href;
  document.head.appendChild(stylesheet);

  const start = () => import(new URL("widget/app.js", scriptUrl).href)
    .then((module) => module.startWidget(config))
    .catch((error) => console.error("Nordwind-Widget konnte nicht geladen werden", error));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
