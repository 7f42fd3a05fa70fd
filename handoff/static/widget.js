/*
 * Nordwind customer chat widget — the one file a shop page embeds:
 *   <script src="https://support.example/widget.js" defer></script>
 * Options (data- attribute on the tag, or window.NordwindWidgetConfig = {...} set before it):
 *   data-title, data-subtitle, data-greeting, data-primary-color, data-primary-text-color,
 *   data-api-base (default: the origin widget.js was loaded from), data-storage-key, data-open="true".
 *
 * This loader is a classic script on purpose: only classic scripts see `document.currentScript`, which is how
 * the widget learns its API origin and data- attributes. The widget itself lives in small ES modules next to
 * this file, loaded relative to it, so embedding stays a single tag.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script || window.__nordwindWidgetLoaded) {
    return;
  }
  window.__nordwindWidgetLoaded = true;

  const scriptUrl = new URL(script.src, document.baseURI);

  // data-* attributes win over defaults, window.NordwindWidgetConfig wins over data-* (the page owner's JS is
  // the most deliberate source).
  const fromAttributes = {};
  for (const [key, value] of Object.entries(script.dataset)) {
    fromAttributes[key] = value;
  }
  const config = Object.assign(
    { apiBase: scriptUrl.origin },
    fromAttributes,
    window.NordwindWidgetConfig || {},
  );

  const stylesheet = document.createElement("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = new URL("widget.css", scriptUrl).href;
  document.head.appendChild(stylesheet);

  const start = () => {
    import(new URL("widget/app.js", scriptUrl).href)
      .then((module) => module.startWidget(config))
      .catch((error) => console.error("Nordwind-Widget konnte nicht geladen werden", error));
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
