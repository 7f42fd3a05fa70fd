"""The ticket's words: kinds of ticket, kinds of article (its history), channels, and limits on what people type.

Plain strings, stored in columns and sent as JSON (like vocabulary.py). A ticket's history is a list of articles
(Zammad's word): every customer message, answer, internal note and state change, whatever the channel; e-mail is
one more channel, so mail in and out needs no new kind of history.
"""
from __future__ import annotations

# --- Kinds of ticket: what the bot or a channel recorded. ---
KIND_FOLLOW_UP = "follow_up"              # asked for a person when nobody could take over (after hours, nobody free)
KIND_PROBLEM_REPORT = "problem_report"    # damage, parcel not received, wrong item, outage
KIND_COMPLAINT = "complaint"
KIND_BILLING_ERROR = "billing_error"
KIND_DATA_PROTECTION = "data_protection"  # access, erasure, objection (GDPR): the legal month applies
KIND_EMAIL = "email"                      # a mail without a reference to an existing ticket
KIND_OTHER = "other"
TICKET_KINDS = (KIND_FOLLOW_UP, KIND_PROBLEM_REPORT, KIND_COMPLAINT, KIND_BILLING_ERROR, KIND_DATA_PROTECTION,
                KIND_EMAIL, KIND_OTHER)
KIND_LABELS_DE = {
    KIND_FOLLOW_UP: "Rückmeldung erbeten", KIND_PROBLEM_REPORT: "Problemmeldung", KIND_COMPLAINT: "Beschwerde",
    KIND_BILLING_ERROR: "Rechnungsfehler", KIND_DATA_PROTECTION: "Datenschutzanfrage", KIND_EMAIL: "E-Mail",
    KIND_OTHER: "Sonstiges",
}
# The bot's problem categories that are a kind of their own; every other category is a problem report.
CATEGORY_KINDS = {"complaint": KIND_COMPLAINT, "billing_error": KIND_BILLING_ERROR}

# --- Articles: one entry of a ticket's history. ---
ARTICLE_CUSTOMER = "customer"          # the customer wrote (widget, e-mail)
ARTICLE_REPLY = "reply"                # an agent answered the customer
ARTICLE_NOTE = "note"                  # internal: never shown to the customer
ARTICLE_STATE_CHANGE = "state_change"  # meta: {"from", "to", "trigger"}
ARTICLE_SYSTEM = "system"              # created, merged, assigned, reminder due, ...
ARTICLE_KINDS = (ARTICLE_CUSTOMER, ARTICLE_REPLY, ARTICLE_NOTE, ARTICLE_STATE_CHANGE, ARTICLE_SYSTEM)
# What the customer may see of the history: their own messages and our answers.
PUBLIC_ARTICLE_KINDS = frozenset({ARTICLE_CUSTOMER, ARTICLE_REPLY})

CHANNEL_CONSOLE = "console"
CHANNEL_WIDGET = "widget"
CHANNEL_EMAIL = "email"
CHANNEL_SYSTEM = "system"
ARTICLE_CHANNELS = (CHANNEL_CONSOLE, CHANNEL_WIDGET, CHANNEL_EMAIL, CHANNEL_SYSTEM)

# --- Limits. Columns are sized from these (store/tables.py); web/ refuses longer input with the same numbers. ---
MAX_TICKET_TEXT_CHARS = 10000     # one answer or internal note (longer than a chat message: answers explain)
MAX_SUMMARY_CHARS = 500           # the one line the inbox shows
MAX_SUBJECT_CHARS = 200
MAX_CATEGORY_CHARS = 64
TICKET_REFERENCE_PREFIX = "NW#"   # "[NW#1234]": what customers quote and the e-mail subject carries


def kind_for_category(category: str | None) -> str:
    return CATEGORY_KINDS.get(category or "", KIND_PROBLEM_REPORT)


def reference(number: int) -> str:
    return f"{TICKET_REFERENCE_PREFIX}{number}"
