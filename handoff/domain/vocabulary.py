"""The service's words and limits, in one place: imported by store, services and web alike.

Plain string constants (not Enum members) on purpose: they are stored in columns, sent as JSON and compared with
what clients send, and a `str` is all of those without conversion.
"""
from __future__ import annotations

# --- Messages (Chatwoot's words): what kind of message, and who sent it. ---
INCOMING, OUTGOING, ACTIVITY = "incoming", "outgoing", "activity"
MESSAGE_TYPES = (INCOMING, OUTGOING, ACTIVITY)
CUSTOMER, BOT, AGENT, SYSTEM = "customer", "bot", "agent", "system"
SENDER_TYPES = (CUSTOMER, BOT, AGENT, SYSTEM)

# --- People working in the console, by role. ---
ROLE_AGENT = "agent"            # chats with customers, works tickets
ROLE_TRAINER = "trainer"        # reviews what the bot misunderstood, retrains, promotes
ROLE_SUPERVISOR = "supervisor"  # an agent who also sees reports and approves goodwill above the limits
ROLE_ADMIN = "admin"            # everything, including people, business hours and limits
ROLES = (ROLE_AGENT, ROLE_TRAINER, ROLE_SUPERVISOR, ROLE_ADMIN)
ROLE_LABELS_DE = {ROLE_AGENT: "Agent", ROLE_TRAINER: "Trainer", ROLE_SUPERVISOR: "Supervisor", ROLE_ADMIN: "Admin"}

# --- Limits on what people type. The columns are sized from these (store/tables.py), and web/ refuses longer
# input with the same numbers, so a value accepted at the door is never refused (or cut) further in. ---
MAX_MESSAGE_CHARS = 2000        # one chat message (the default of MAX_MESSAGE_CHARS in the settings)
MAX_CLIENT_ID_CHARS = 64        # a client's idempotency key for one message (messages.client_id)
MAX_COMMENT_CHARS = 1000        # a CSAT comment
MAX_NOTE_CHARS = 2000           # a note: the customer's on a ticket request, an agent's private one
MAX_EMAIL_CHARS = 254           # RFC 5321's limit of a forward path
MAX_DISPLAY_NAME_CHARS = 128
MAX_TITLE_CHARS = 128           # canned reply titles
MAX_CANNED_TEXT_CHARS = 2000
MAX_ORDER_NUMBER_CHARS = 32
