"""German names of the assistant's topics: a short button title and the phrase that follows "Geht es um ..."."""
from __future__ import annotations

# intent -> (button title, phrase after "Geht es um")
TOPICS_DE: dict[str, tuple[str, str]] = {
    "order_status": ("Stand meiner Bestellung", "den Stand Ihrer Bestellung"),
    "delivery_info": ("Versandkosten und Lieferzeiten", "Versandkosten und Lieferzeiten"),
    "return_item": ("Rücksendung", "eine Rücksendung"),
    "refund_status": ("Erstattung", "Ihre Erstattung"),
    "exchange_item": ("Umtausch", "einen Umtausch"),
    "payment_methods": ("Zahlungsarten", "Zahlungsarten"),
    "invoice_copy": ("Rechnungskopie", "eine Rechnungskopie"),
    "cancel_order": ("Bestellung stornieren", "eine Stornierung"),
    "change_order": ("Bestellung ändern", "eine Änderung Ihrer Bestellung"),
    "change_address": ("Lieferadresse ändern", "eine Änderung der Lieferadresse"),
    "damaged_item": ("Beschädigter oder defekter Artikel", "einen beschädigten oder defekten Artikel"),
    "parcel_not_received": ("Paket nicht angekommen", "ein nicht angekommenes Paket"),
    "wrong_item": ("Falscher oder fehlender Artikel", "einen falschen oder fehlenden Artikel"),
    "warranty": ("Garantie und Gewährleistung", "Garantie und Gewährleistung"),
    "login_problem": ("Anmeldung und Passwort", "Anmeldung und Passwort"),
    "gdpr_request": ("Datenauskunft oder Kontolöschung", "eine Datenauskunft oder Kontolöschung"),
    "newsletter_unsubscribe": ("Newsletter abbestellen", "die Abmeldung vom Newsletter"),
    "voucher_problem": ("Gutschein", "einen Gutschein"),
    "contact_info": ("Kontakt und Servicezeiten", "Kontakt und Servicezeiten"),
    "report_outage": ("Technisches Problem melden", "ein technisches Problem auf der Website oder in der App"),
    "goodwill_request": ("Kulanz", "eine Kulanzanfrage"),
    "complaint": ("Beschwerde", "eine Beschwerde"),
    "privacy_info": ("Datenschutz", "Datenschutz"),
}


def topic_button_title(intent: str) -> str | None:
    topic = TOPICS_DE.get(intent)
    return topic[0] if topic else None


def topic_phrase(intent: str) -> str | None:
    topic = TOPICS_DE.get(intent)
    return topic[1] if topic else None
