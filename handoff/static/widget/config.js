export const DEFAULTS = Object.freeze({
  apiBase: "",
  title: "Nordwind Kundenservice",
  subtitle: "Digitaler Assistent – ein Mensch ist auf Wunsch erreichbar",
  greeting: "Guten Tag! Ich bin der digitale Assistent von Nordwind Versand. Wie kann ich Ihnen helfen?",
  primaryColor: "",
  primaryTextColor: "",
  storageKey: "nordwind-widget",
  open: "",
});

export const TEXTS = Object.freeze({
  launcherOpen: "Chat mit dem Kundenservice öffnen", launcherClose: "Chat schließen",
  inputLabel: "Ihre Nachricht", inputPlaceholder: "Nachricht schreiben …", send: "Senden",
  you: "Sie", bot: "Digitaler Assistent", agentFallbackName: "Kundenservice",
  sending: "wird gesendet …", notSent: "nicht gesendet", notSentBecause: "Nicht gesendet: {reason}",
  tooLong: "zu lang", emptyMessage: "leer", resendLater: "wird gleich erneut gesendet …",
  connecting: "Verbindung wird hergestellt …", reconnecting: "Verbindung wird wiederhergestellt …",
  botTyping: "Der Assistent schreibt …", agentTyping: "{name} schreibt …",
  queued: "Eine Kollegin/ein Kollege übernimmt gleich.",
  waitMinutes: "Wartezeit ca. {n} Minuten", waitOneMinute: "Wartezeit ca. 1 Minute", queuePosition: "Sie sind an Position {n}.",
  agentJoined: "{name} ist jetzt für Sie da.",
  agentJoinedUnknown: "Eine Kollegin/ein Kollege ist jetzt für Sie da.",
  ticketTitle: "Wir melden uns bei Ihnen",
  ticketIntro: "Gerade ist niemand aus dem Team erreichbar. Hinterlassen Sie Ihre E-Mail-Adresse – wir antworten so bald wie möglich.",
  ticketEmail: "E-Mail-Adresse", ticketNote: "Ihr Anliegen (optional)", ticketSubmit: "Rückmeldung anfordern",
  ticketInvalidEmail: "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de.",
  ticketThanks: "Danke! Wir melden uns per E-Mail bei {email}.",
  csatQuestion: "Wie zufrieden sind Sie mit der Hilfe?",
  csatStar: "{n} von 5 Sternen", csatSubmit: "Bewertung senden",
  csatComment: "Möchten Sie uns noch etwas mitteilen? (optional)",
  csatChooseRating: "Bitte wählen Sie 1 bis 5 Sterne.",
  csatThanks: "Vielen Dank für Ihre Bewertung!",
  startFailed: "Der Chat ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.",
  unread: "{n} neue Nachrichten",
});

/** Ignores unknown keys, so typos cannot break the widget. */
export function resolveConfig(given) {
  const config = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS)) {
    if (given[key] && typeof given[key] === "string") config[key] = given[key];
  }
  config.apiBase = config.apiBase.replace(/\/+$/, "");
  return Object.freeze(config);
}

/** The result is only ever used as text. */
export function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));
}
