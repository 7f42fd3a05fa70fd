"""Realistic German customer conversations for the reply-path benchmark.

Mixed intents, several turns each, the order-status form filled with demo order numbers from
actions/demo_orders.json. None of them asks for a person or shows anger: the reply path measures the bot, and a
handoff would take the conversation away from it (the handoff benchmark has its own trigger message).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from bench.paths import DEMO_ORDERS

Conversation = tuple[str, ...]
HANDOFF_TRIGGER = "Ich möchte mit einem Mitarbeiter sprechen"
AGENT_REPLY = "Guten Tag, hier ist Jana vom Kundenservice. Ich sehe mir Ihre Bestellung gleich an."
# Placeholders filled with demo order numbers, so the form's validation finds a real order.
ORDER = "{order}"

TEMPLATES: tuple[Conversation, ...] = (
    ("Hallo", "Wo ist meine Bestellung?", ORDER, "Wie kann ich etwas zurückschicken?", "Danke, das war's"),
    ("Guten Morgen, wann kommt meine Lieferung " + ORDER + "?", "Welche Zahlungsarten gibt es bei Ihnen?",
     "Tschüss"),
    ("Ich warte seit einer Woche auf mein Paket", "Die Bestellnummer ist " + ORDER,
     "Wann bekomme ich mein Geld für die Rücksendung zurück?", "Vielen Dank"),
    ("Hallo zusammen", "Wie lange dauert der Versand nach Österreich?", "Kann ich auch per Rechnung zahlen?",
     "Super, danke!"),
    ("Ich brauche eine Kopie meiner Rechnung", "Und wie kann ich meine Lieferadresse ändern?", "Danke schön"),
    ("Ich möchte meine Bestellung stornieren", "Kann ich stattdessen einen Artikel umtauschen?",
     "Auf Wiedersehen"),
    ("Bin ich hier mit einem Bot verbunden?", "Wo steckt mein Päckchen?", ORDER, "ok danke"),
    ("Ich kann mich nicht in mein Kundenkonto einloggen", "Wie melde ich mich vom Newsletter ab?",
     "Danke für die Hilfe"),
    ("Mein Gutscheincode funktioniert nicht", "Wie erreiche ich Sie telefonisch?", "Alles klar, tschüss"),
    ("Servus", "Ist meine Bestellung " + ORDER + " schon verschickt worden?", "Gibt es Garantie auf Elektrogeräte?",
     "Danke"),
    ("Der Wasserkocher ist kaputt angekommen", "Nein danke, ich schreibe später noch mal",
     "Wie funktioniert die Rücksendung?", "Danke"),
    ("Wie verwenden Sie meine Daten?", "Was kostet der Versand in die Schweiz?", "Gut, danke"),
)


def demo_order_numbers(path: Path = DEMO_ORDERS) -> list[str]:
    with open(path, encoding="utf-8") as source:
        return [order["order_number"] for order in json.load(source)["orders"]]


def conversations(order_numbers: Sequence[str], count: int | None = None) -> list[Conversation]:
    """The templates with order numbers filled in round robin; `count` repeats them to that many conversations."""
    if not order_numbers:
        raise ValueError("at least one demo order number is needed")
    total = count if count is not None else len(TEMPLATES)
    result = []
    for index in range(total):
        template = TEMPLATES[index % len(TEMPLATES)]
        order = order_numbers[index % len(order_numbers)]
        result.append(tuple(turn.replace(ORDER, order) for turn in template))
    return result


def turn_count(items: Sequence[Conversation]) -> int:
    return sum(len(conversation) for conversation in items)
