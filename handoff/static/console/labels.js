// German labels for the codes the service uses; unknown codes are shown as they are rather than hidden.

export const REASONS = Object.freeze({
  customer_request: "Kunde möchte einen Menschen",
  tone: "Verärgerter Ton",
  abusive: "Beleidigend",
  fallbacks: "Mehrfach nicht verstanden",
  repeated_question: "Wiederholte Frage",
  not_helped: "Antworten halfen nicht",
  legal_threat: "Rechtliche Drohung",
  data_protection: "Datenschutz",
  damage_value: "Hoher Schadenswert",
  bot_unavailable: "Bot nicht erreichbar",
});

export const TONES = Object.freeze({ calm: "ruhig", frustrated: "verärgert", abusive: "ausfallend" });

export const STATUSES = Object.freeze({
  bot: "beim Bot",
  queued: "wartet",
  agent: "im Gespräch",
  ticket: "Ticket",
  resolved: "erledigt",
});

export const SLOTS = Object.freeze({
  order_number: "Bestellnummer",
  amount: "Schadenswert",
  order_total: "Bestellwert",
  email: "E-Mail",
  product: "Produkt",
  problem_description: "Gemeldetes Problem",
  country: "Land",
  payment_method: "Zahlungsart",
});

// Intent codes of domain.yml (the transcript's "Absicht"); the bot's own topic names (bot/escalation/summary.py)
// agree, tests/unit/handoff/web/test_console_labels.py keeps them so.
export const TOPICS = Object.freeze({
  greet: "Begrüßung",
  goodbye: "Verabschiedung",
  thank: "Dank",
  affirm: "Zustimmung",
  deny: "Ablehnung",
  bot_challenge: "Frage, ob Bot",
  out_of_scope: "Außerhalb unseres Angebots",
  request_human: "Mensch gewünscht",
  order_status: "Bestellstatus",
  delivery_info: "Versand und Lieferzeiten",
  return_item: "Rücksendung",
  refund_status: "Erstattung",
  exchange_item: "Umtausch",
  payment_methods: "Zahlungsarten",
  invoice_copy: "Rechnungskopie",
  cancel_order: "Stornierung",
  change_order: "Bestelländerung",
  change_address: "Adressänderung",
  damaged_item: "Beschädigte Ware",
  parcel_not_received: "Paket nicht erhalten",
  wrong_item: "Falsche oder unvollständige Lieferung",
  warranty: "Garantie",
  login_problem: "Anmeldeproblem",
  gdpr_request: "Datenschutzanfrage (DSGVO)",
  newsletter_unsubscribe: "Newsletter-Abmeldung",
  voucher_problem: "Gutscheinproblem",
  contact_info: "Kontaktdaten",
  report_outage: "Störungsmeldung",
  goodwill_request: "Kulanzanfrage",
  complaint: "Beschwerde",
  privacy_info: "Datenschutzinformationen",
  other_language: "Schreibt nicht auf Deutsch",
  insult: "Beleidigung",
  not_helped: "Antwort half nicht",
  request_transcript: "Chatverlauf per E-Mail",
  inform: "Angabe (z. B. Bestellnummer)",
  nlu_fallback: "Nicht verstanden",
});

export function label(table, code) {
  return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : String(code);
}

/** Tone score 0..1 → label code, for items that only carry a rolling score. */
export function toneFromScore(score) {
  if (typeof score !== "number") {
    return null;
  }
  return score >= 0.8 ? "abusive" : score >= 0.5 ? "frustrated" : "calm";
}

export function formatWaiting(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  const minutes = Math.floor(total / 60);
  const rest = String(total % 60).padStart(2, "0");
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes}:${rest} min`;
}
