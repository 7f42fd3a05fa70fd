// German labels for the codes the service uses; unknown codes are shown as they are rather than hidden.

export const REASONS = Object.freeze({
  customer_request: "Kunde möchte einen Menschen",
  tone: "Verärgerter Ton",
  abusive: "Beleidigend",
  fallbacks: "Mehrfach nicht verstanden",
  repeated_question: "Wiederholte Frage",
  legal_threat: "Rechtliche Drohung",
  data_protection: "Datenschutz",
  damage_value: "Hoher Schadenswert",
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
});

export const TOPICS = Object.freeze({
  request_human: "Mensch gewünscht",
  order_status: "Bestellstatus",
  damaged_item: "Beschädigte Ware",
  complaint: "Beschwerde",
  gdpr_request: "Datenschutzanfrage",
  report_outage: "Störung",
  return_item: "Rücksendung",
  refund: "Erstattung",
  delivery_time: "Lieferzeit",
  shipping_costs: "Versandkosten",
  payment: "Zahlung",
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
