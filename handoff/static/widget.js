// What a shop embeds: <script src=".../widget.js" data-primary-color="#7a1f5c" defer>; options: config.js.
// A classic script, as only those see `document.currentScript`; the ES modules sit next to it.
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script || window.__nordwindWidgetLoaded) return;
  window.__nordwindWidgetLoaded = true;

  const scriptUrl = new URL(script.src, document.baseURI);
  // The page owner's JS is the most deliberate source.
  const config = { apiBase: scriptUrl.origin, ...script.dataset, ...window.NordwindWidgetConfig };
  document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href: new URL("widget.css", scriptUrl).href }));

  const start = () => import(new URL("widget/app.js", scriptUrl).href)
    .then((module) => module.startWidget(config))
    .catch((error) => console.error("Nordwind-Widget konnte nicht geladen werden", error));
  if (document.readyState !== "loading") start();
  else document.addEventListener("DOMContentLoaded", start, { once: true });
})();
