/*
 * Nordwind chat widget, the one file a shop embeds: <script src="https://support.example/widget.js" defer>.
 * Options (data- attributes or window.NordwindWidgetConfig): title, subtitle, greeting, primary-color,
 * primary-text-color, api-base (default: this script's origin), storage-key, open="true".
 * A classic script because only those see `document.currentScript`; the widget's ES modules sit next to it.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script || window.__nordwindWidgetLoaded) return;
  window.__nordwindWidgetLoaded = true;

  const scriptUrl = new URL(script.src, document.baseURI);
  // The page owner's JS is the most deliberate source, so it wins over data- attributes.
  const config = { apiBase: scriptUrl.origin, ...script.dataset, ...window.NordwindWidgetConfig };
  document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href: new URL("widget.css", scriptUrl).href }));

  const start = () => import(new URL("widget/app.js", scriptUrl).href)
    .then((module) => module.startWidget(config))
    .catch((error) => console.error("Nordwind-Widget konnte nicht geladen werden", error));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
