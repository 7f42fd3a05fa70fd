"""The relational schema (SQLAlchemy Core), portable between SQLite and PostgreSQL.

Timestamps are stored timezone-aware where the database can (PostgreSQL); `UtcDateTime` makes SQLite, which
keeps naive strings, hand back UTC-aware values too.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON, Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, LargeBinary, MetaData, String, Table,
    Text, UniqueConstraint, Index,
)
from sqlalchemy.types import TypeDecorator

from handoff.domain.vocabulary import INCOMING

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING_CONVENTION)

ID_LENGTH = 36


class UtcDateTime(TypeDecorator):
    """Accepts only aware datetimes and always returns aware UTC ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def _id(name: str = "id") -> Column:
    return Column(name, String(ID_LENGTH), primary_key=True)


def _conversation_fk(nullable: bool = False) -> Column:
    return Column("conversation_id", String(ID_LENGTH), ForeignKey("conversations.id", ondelete="CASCADE"),
                  nullable=nullable, index=True)


conversations = Table(
    "conversations", metadata,
    _id(),
    Column("token_hash", String(64), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("external_id", String(255), nullable=True),
    Column("status", String(16), nullable=False, index=True),
    Column("assignee_id", String(ID_LENGTH), ForeignKey("agents.id", ondelete="SET NULL"), nullable=True,
           index=True),
    Column("priority", Integer, nullable=False, default=0),
    Column("waiting_since", UtcDateTime, nullable=True),
    Column("assigned_at", UtcDateTime, nullable=True),
    Column("first_reply_at", UtcDateTime, nullable=True),
    Column("resolved_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("last_seq", Integer, nullable=False, default=0),
    Column("customer_email", String(320), nullable=True),
    Column("locale", String(16), nullable=False, default="de"),
    UniqueConstraint("channel", "external_id", name="uq_conversations_channel_external_id"),
)

messages = Table(
    "messages", metadata,
    _id(),
    _conversation_fk(),
    Column("seq", Integer, nullable=False),
    Column("client_id", String(64), nullable=True),
    Column("message_type", String(16), nullable=False),
    Column("sender_type", String(16), nullable=False),
    Column("sender_id", String(ID_LENGTH), nullable=True),
    Column("private", Boolean, nullable=False, default=False),
    Column("text", Text, nullable=True),
    Column("payload", JSON, nullable=True),
    Column("intent", String(128), nullable=True),
    Column("confidence", Float, nullable=True),
    Column("tone_score", Float, nullable=True),
    Column("tone_label", String(32), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    # Bot routing of customer messages (revision 0003), Chatwoot-style facts instead of flags: a claim taken by the
    # instance asking the bot, and the end of routing (bot answer stored, or delivered to agents instead).
    Column("routing_started_at", UtcDateTime, nullable=True),
    Column("routed_at", UtcDateTime, nullable=True),
    UniqueConstraint("conversation_id", "seq", name="uq_messages_conversation_id_seq"),
    UniqueConstraint("conversation_id", "client_id", name="uq_messages_conversation_id_client_id"),
)

handoffs = Table(
    "handoffs", metadata,
    _id(),
    _conversation_fk(),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("summary", JSON, nullable=False),
    Column("rolling_tone", Float, nullable=True),
    Column("claimed_by", String(ID_LENGTH), ForeignKey("agents.id", ondelete="SET NULL"), nullable=True),
    Column("claimed_at", UtcDateTime, nullable=True),
    Column("ended_at", UtcDateTime, nullable=True),
    Column("outcome", String(32), nullable=True),
)

agents = Table(
    "agents", metadata,
    _id(),
    Column("email", String(320), nullable=False, unique=True),
    Column("display_name", String(128), nullable=False),
    Column("password_hash", String(256), nullable=False),
    Column("role", String(16), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("capacity", Integer, nullable=False, default=3),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    # Presence the agent chose (online | away), revision 0008: one truth for every instance; the bus's presence
    # store only says who is connected right now, and copies this status with each heartbeat.
    Column("presence_status", String(16), nullable=False, default="online", server_default="online"),
)

agent_sessions = Table(
    "agent_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("agent_id", String(ID_LENGTH), ForeignKey("agents.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("csrf_token", String(64), nullable=False),
)

# --- Tickets (revision 0004, issue 14): a promise with an owner, due times and a history of articles. ---
# Facts as named timestamps (Zammad/Chatwoot style), never booleans. `conversation_id` is empty for a ticket
# opened by another channel (an e-mail); deleting the conversation deletes its tickets (retention, erasure).
tickets = Table(
    "tickets", metadata,
    _id(),
    _conversation_fk(nullable=True),
    Column("number", Integer, nullable=False, unique=True),          # the customer's reference: NW#<number>
    Column("kind", String(32), nullable=False, index=True),
    Column("channel", String(16), nullable=False),                    # where it came from: widget | email | console
    Column("status", String(16), nullable=False, index=True),
    Column("subject", String(200), nullable=True),
    Column("summary", String(500), nullable=True),
    Column("email", String(320), nullable=True),                      # the customer's contact, if given
    Column("customer_name", String(128), nullable=True),
    Column("note", Text, nullable=True),                              # what the customer left with the request
    Column("category", String(64), nullable=True),                    # the bot's problem category
    Column("details", JSON, nullable=True),                           # collected: order number, problem, amount
    Column("owner_id", String(ID_LENGTH), ForeignKey("agents.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("claimed_at", UtcDateTime, nullable=True),
    Column("first_response_at", UtcDateTime, nullable=True),
    Column("first_response_due_at", UtcDateTime, nullable=True),
    Column("solution_due_at", UtcDateTime, nullable=True),
    Column("pending_since", UtcDateTime, nullable=True),
    Column("pending_until", UtcDateTime, nullable=True),              # the reminder time while pending
    Column("solved_at", UtcDateTime, nullable=True),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("last_customer_at", UtcDateTime, nullable=True),
    Column("merged_into_id", String(ID_LENGTH), nullable=True),
    Column("follow_up_of_id", String(ID_LENGTH), nullable=True),      # a reply to a closed ticket opens a new one
    Column("last_article_seq", Integer, nullable=False, default=0),   # allocates ticket_articles.seq (row lock)
)

# The history of a ticket. E-mail (issue 16) is one more channel: its outbox and mail headers refer to articles.
ticket_articles = Table(
    "ticket_articles", metadata,
    _id(),
    Column("ticket_id", String(ID_LENGTH), ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),               # order within the ticket (timestamps can be equal)
    Column("kind", String(16), nullable=False),           # customer | reply | note | state_change | system
    Column("channel", String(16), nullable=False),        # console | widget | email | system
    Column("sender_type", String(16), nullable=False),    # customer | agent | system
    Column("author_id", String(ID_LENGTH), ForeignKey("agents.id", ondelete="SET NULL"), nullable=True),
    Column("author_name", String(128), nullable=True),
    Column("text", Text, nullable=True),
    Column("meta", JSON, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("ticket_id", "seq", name="uq_ticket_articles_ticket_id_seq"),
)

# One row: the last ticket number handed out (UPDATE ... RETURNING serialises concurrent creations).
ticket_counter = Table(
    "ticket_counter", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last_number", Integer, nullable=False),
)

csat = Table(
    "csat", metadata,
    Column("conversation_id", String(ID_LENGTH), ForeignKey("conversations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("rating", Integer, nullable=False),
    Column("comment", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

canned_replies = Table(
    "canned_replies", metadata,
    _id(),
    Column("shortcut", String(32), nullable=False, unique=True),
    Column("title", String(128), nullable=False),
    Column("text", Text, nullable=False),
)

settings = Table(
    "settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
)

Index("ix_conversations_queue", conversations.c.status, conversations.c.priority, conversations.c.waiting_since)
# Partial: only customer messages still waiting for routing, so the sweep stays cheap however long history grows.
UNROUTED_CUSTOMER_MESSAGE = (messages.c.message_type == INCOMING) & messages.c.routed_at.is_(None)
Index("ix_messages_unrouted", messages.c.created_at, postgresql_where=UNROUTED_CUSTOMER_MESSAGE,
      sqlite_where=UNROUTED_CUSTOMER_MESSAGE)

# --- Trainer loop (revision 0002): annotations of customer messages and the model registry. ---

annotations = Table(
    "annotations", metadata,
    _id(),
    # No foreign key to messages: an annotation (already redacted) may outlive its conversation's deletion.
    Column("message_id", String(ID_LENGTH), nullable=False, unique=True),
    Column("conversation_id", String(ID_LENGTH), nullable=True, index=True),
    Column("action", String(16), nullable=False),           # confirm | correct | tone | dismiss
    Column("intent", String(128), nullable=True),
    Column("tone_label", String(32), nullable=True),
    Column("text", Text, nullable=True),                    # redacted; never the customer's raw text
    Column("annotated_by", String(ID_LENGTH), nullable=True),
    Column("annotator_name", String(128), nullable=True),
    Column("annotated_at", UtcDateTime, nullable=False),
    Column("exported_at", UtcDateTime, nullable=True),
)

models = Table(
    "models", metadata,
    _id(),
    Column("path", String(1024), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("status", String(16), nullable=False, index=True),   # candidate | live | previous | rejected | retired
    Column("metrics", JSON, nullable=True),
    Column("comparison", JSON, nullable=True),
    Column("promoted_by", String(128), nullable=True),
    Column("promoted_at", UtcDateTime, nullable=True),
    Column("override_by", String(128), nullable=True),
    Column("override_at", UtcDateTime, nullable=True),
    Column("override_reason", Text, nullable=True),
    Column("note", Text, nullable=True),
)

# --- Reports (revision 0007, issue 19): the CSAT survey as a fact, and the indexes the report queries need. ---

# One row per conversation that was offered the rating (the first offer counts): the denominator of the response rate.
csat_surveys = Table(
    "csat_surveys", metadata,
    Column("conversation_id", String(ID_LENGTH), ForeignKey("conversations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("sent_at", UtcDateTime, nullable=False, index=True),
)
Index("ix_conversations_created_at", conversations.c.created_at)
# Covering on PostgreSQL (INCLUDE; SQLite ignores it): volume, topics and the agent replies of a period are read
# from the index alone, not from a million message rows.
REPORT_MESSAGE_COLUMNS = ("conversation_id", "intent", "confidence", "tone_label", "routing_started_at",
                          "message_type", "private")
Index("ix_messages_sender_type_created_at", messages.c.sender_type, messages.c.created_at,
      postgresql_include=list(REPORT_MESSAGE_COLUMNS))
Index("ix_handoffs_requested_at", handoffs.c.requested_at)
Index("ix_csat_created_at", csat.c.created_at)
Index("ix_tickets_created_at", tickets.c.created_at)
Index("ix_tickets_solved_at", tickets.c.solved_at)

# --- Incidents and goodwill (revision 0005, issue 14). ---

# Several customers reporting the same fault: one incident, its reports are problem-report tickets. Report counts and
# first/latest report times are read from the members, never stored twice.
incidents = Table(
    "incidents", metadata,
    _id(),
    Column("category", String(64), nullable=False),                   # the bot's problem category
    Column("title", String(200), nullable=False),                     # the category's label, never a customer's words
    Column("status", String(16), nullable=False, index=True),         # open | closed
    Column("owner_id", String(ID_LENGTH), ForeignKey("agents.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("closed_by", String(ID_LENGTH), ForeignKey("agents.id", ondelete="SET NULL"), nullable=True),
    Column("close_note", Text, nullable=True),                        # sent to the reporters' conversations
)

# A report belongs to at most one incident (the ticket is the key); deleting the ticket (retention, erasure) removes it.
incident_reports = Table(
    "incident_reports", metadata,
    Column("ticket_id", String(ID_LENGTH), ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
    Column("incident_id", String(ID_LENGTH), ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("added_at", UtcDateTime, nullable=False),
    Column("similarity", Float, nullable=True),                        # to matched_ticket_id, 0..1
    Column("matched_ticket_id", String(ID_LENGTH), nullable=True),
    Column("shared_words", JSON, nullable=True),
    Column("reason", String(500), nullable=False),                     # why it was grouped, German, for the console
)

# Goodwill granted (or requested above a limit) by an agent, money in integer cents. Deleting the conversation or
# ticket keeps the grant without the link (accounting and reports), see docs/incidents-goodwill.md.
goodwill_grants = Table(
    "goodwill_grants", metadata,
    _id(),
    Column("kind", String(32), nullable=False),                       # voucher | partial_refund | free_return_shipping
    Column("amount_cents", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(16), nullable=False, index=True),         # granted | requested | approved | declined
    Column("conversation_id", String(ID_LENGTH), ForeignKey("conversations.id", ondelete="SET NULL"), nullable=True,
           index=True),
    Column("ticket_id", String(ID_LENGTH), ForeignKey("tickets.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("agent_id", String(ID_LENGTH), ForeignKey("agents.id", ondelete="SET NULL"), nullable=True),
    Column("agent_name", String(128), nullable=False),
    Column("limit_reasons", JSON, nullable=True),                     # why it needed approval
    Column("created_at", UtcDateTime, nullable=False),
    Column("decided_by", String(ID_LENGTH), ForeignKey("agents.id", ondelete="SET NULL"), nullable=True),
    Column("decided_by_name", String(128), nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("decision_note", Text, nullable=True),
)
Index("ix_goodwill_grants_agent_id_created_at", goodwill_grants.c.agent_id, goodwill_grants.c.created_at)

# --- E-mail (revision 0006, issue 16): the outbox, its attempts, Message-IDs and reply tokens for threading, raw
# inbound mails (for export and retention), undeliverable addresses. Every row is personal data: deleting a ticket
# or conversation deletes them (ON DELETE CASCADE, and explicitly in handoff/store/mail.py for SQLite).

# One mail to send, written in the transaction of the answer (or ticket) it belongs to. `raw` is the composed
# MIME message, so every retry sends the same bytes with the same Message-ID (the receiver's duplicate key).
mail_outbox = Table(
    "mail_outbox", metadata,
    _id(),
    Column("ticket_id", String(ID_LENGTH), ForeignKey("tickets.id", ondelete="CASCADE"), nullable=True, index=True),
    _conversation_fk(nullable=True),
    Column("article_id", String(ID_LENGTH), nullable=True),           # the ticket article this mail sends
    Column("purpose", String(16), nullable=False),                     # answer | acknowledgement | transcript
    Column("to_address", String(320), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("message_id", String(255), nullable=False, unique=True),
    Column("raw", Text, nullable=False),
    Column("status", String(16), nullable=False, index=True),         # pending | sending | sent | failed | undeliverable
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime, nullable=False, index=True),
    Column("claim_id", String(ID_LENGTH), nullable=True),              # the attempt holding the lease
    Column("claimed_at", UtcDateTime, nullable=True),
    Column("last_error", String(500), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("failed_at", UtcDateTime, nullable=True),
)

# Every delivery attempt, keyed by its idempotency key: an attempt without `finished_at` is one a crash cut short
# (possibly after the server's 250): the one window in which a mail may go out twice (docs/email.md).
mail_attempts = Table(
    "mail_attempts", metadata,
    _id(),
    Column("outbox_id", String(ID_LENGTH), ForeignKey("mail_outbox.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("outcome", String(16), nullable=True),                      # sent | retry | permanent | interrupted
    Column("smtp_code", Integer, nullable=True),
    Column("error", String(500), nullable=True),
)

# Message-IDs of a ticket's mails, ours and the customer's: In-Reply-To / References thread against them.
mail_message_ids = Table(
    "mail_message_ids", metadata,
    Column("message_id", String(255), primary_key=True),
    Column("ticket_id", String(ID_LENGTH), ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("direction", String(8), nullable=False),                    # in | out
    Column("created_at", UtcDateTime, nullable=False),
)

# The reply token of plus-addressing (support+<token>@…): random, bound to exactly one ticket.
mail_reply_tokens = Table(
    "mail_reply_tokens", metadata,
    Column("token", String(64), primary_key=True),
    Column("ticket_id", String(ID_LENGTH), ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False,
           unique=True),
    Column("created_at", UtcDateTime, nullable=False),
)

# Each inbound mail as received, kept for export; `digest` (SHA-256 of the bytes) makes a redelivery a no-op.
mail_raw = Table(
    "mail_raw", metadata,
    _id(),
    Column("ticket_id", String(ID_LENGTH), ForeignKey("tickets.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("message_id", String(255), nullable=True, index=True),
    Column("source", String(8), nullable=False),                       # smtp | imap
    Column("sender", String(320), nullable=True, index=True),
    Column("kind", String(16), nullable=False),                        # person | auto_reply | bounce | bulk | own
    Column("outcome", String(32), nullable=False),                     # threaded | new_ticket | follow_up | ignored ...
    Column("size", Integer, nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("received_at", UtcDateTime, nullable=False, index=True),
)

# Addresses a permanent bounce (5.x.x) proved undeliverable: the outbox stops sending to them, agents see it.
mail_undeliverable = Table(
    "mail_undeliverable", metadata,
    Column("address", String(320), primary_key=True),                  # lower case
    Column("status", String(16), nullable=False),                      # the DSN status, e.g. 5.1.1
    Column("diagnostic", String(500), nullable=True),
    Column("ticket_id", String(ID_LENGTH), ForeignKey("tickets.id", ondelete="SET NULL"), nullable=True),
    Column("bounced_at", UtcDateTime, nullable=False),
)

# --- Bot state (revision 0009, issue 18): Rasa trackers the bot process's in-memory store had to let go. ---
# The in-memory store keeps at most BOT_TRACKERS_KEPT trackers; the one it drops (least recently active, or idle
# past the session expiration) is kept here and taken back when its conversation goes on, so a form in progress
# survives any number of other conversations. Only dropped trackers are written: an active one costs nothing.
bot_trackers = Table(
    "bot_trackers", metadata,
    Column("sender_id", String(255), primary_key=True),               # the Rasa sender id (the conversation id)
    Column("tracker", Text, nullable=False),                           # Rasa's own serialised tracker (JSON)
    Column("kept_at", UtcDateTime, nullable=False, index=True),
)

# --- Report facts (revision 0010, issue 19): what the reports read instead of a year of messages. ---
# Derived from the tables above by handoff/services/report_facts.py, never written by a use case; deleting a
# conversation deletes its facts (cascade, and retention/erasure delete them explicitly). Local days are of the
# business-hours zone named in report_state: a change of the opening hours or zone rebuilds them.
report_conversations = Table(
    "report_conversations", metadata,
    Column("conversation_id", String(ID_LENGTH), ForeignKey("conversations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("channel", String(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("bot_engaged", Integer, nullable=False),           # 0/1: summed by the reports
    Column("handed_off", Integer, nullable=False),
    Column("contained", Integer, nullable=False),
    Column("last_handoff_at", UtcDateTime, nullable=True),
    Column("first_customer_day", Date, nullable=True),        # local days of its customer messages
    Column("last_customer_day", Date, nullable=True),
    Column("pending", Integer, nullable=False),               # 1: an open handoff or an unrouted message: re-read
    Column("created_day", Date, nullable=True),               # local day of created_at (revision 0011)
)
Index("ix_report_conversations_created_at", report_conversations.c.created_at,
      postgresql_include=["channel", "bot_engaged", "handed_off", "contained"])
# Conversations whose customer wrote on several days: the only ones whose topics can straddle a period's start.
SEVERAL_DAYS = report_conversations.c.last_customer_day > report_conversations.c.first_customer_day
Index("ix_report_conversations_several_days", report_conversations.c.last_customer_day,
      postgresql_where=SEVERAL_DAYS, sqlite_where=SEVERAL_DAYS)
PENDING_FACTS = report_conversations.c.pending == 1
Index("ix_report_conversations_pending", report_conversations.c.conversation_id,
      postgresql_where=PENDING_FACTS, sqlite_where=PENDING_FACTS)

# One row per handoff: its durations already measured (wall-clock and business hours), so that exact
# percentiles over a year read 20,000 small rows instead of joining a million messages.
report_handoffs = Table(
    "report_handoffs", metadata,
    Column("handoff_id", String(ID_LENGTH), ForeignKey("handoffs.id", ondelete="CASCADE"), primary_key=True),
    Column("conversation_id", String(ID_LENGTH), ForeignKey("conversations.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("requested_at", UtcDateTime, nullable=False, index=True),
    Column("requested_day", Date, nullable=False),
    Column("reasons", Text, nullable=False),                  # the reason codes, each once, sorted, comma-separated
    Column("queue_seconds", Float, nullable=True),
    Column("queue_business_seconds", Float, nullable=True),
    Column("first_response_seconds", Float, nullable=True),
    Column("first_response_business_seconds", Float, nullable=True),
    Column("resolution_seconds", Float, nullable=True),
    Column("resolution_business_seconds", Float, nullable=True),
    Column("abandoned", Integer, nullable=False),
    Column("queued", Integer, nullable=False),                # reached the live queue
    Column("after_hours_ticket", Integer, nullable=False),
    Column("no_agent_ticket", Integer, nullable=False),
)

# Customer messages per local day, channel and intent ('' for none): volume and topics add these up. The
# `conversations` / `handed_off` columns count (conversation, intent) pairs first seen that day, and of those
# the ones with a handoff at or after it.
report_days = Table(
    "report_days", metadata,
    Column("day", Date, primary_key=True),
    Column("channel", String(32), primary_key=True),
    Column("intent", String(128), primary_key=True),
    Column("messages", Integer, nullable=False),
    Column("not_understood", Integer, nullable=False),
    Column("calm", Integer, nullable=False),
    Column("frustrated", Integer, nullable=False),
    Column("abusive", Integer, nullable=False),
    Column("conversations", Integer, nullable=False),
    Column("handed_off", Integer, nullable=False),
)

# Days whose totals must be counted again (their conversation was deleted), and the refresh's bookkeeping:
# `watermark` (changes before it are in the facts), `hours` (the business hours the facts were measured with).
report_dirty_days = Table(
    "report_dirty_days", metadata,
    Column("day", Date, primary_key=True),
)
report_state = Table(
    "report_state", metadata,
    Column("key", String(32), primary_key=True),
    Column("value", JSON, nullable=False),
)
Index("ix_conversations_updated_at", conversations.c.updated_at)

# Revision 0011: the sums per local day of the facts above, so that a year adds up about a thousand rows, not
# 100,000 conversations and 20,000 handoffs. Counted again from the facts for each day a refresh touched.
Index("ix_report_conversations_created_day", report_conversations.c.created_day)
report_conversation_days = Table(
    "report_conversation_days", metadata,
    Column("day", Date, primary_key=True),                    # created that local day
    Column("channel", String(32), primary_key=True),
    Column("conversations", Integer, nullable=False),
    Column("bot_engaged", Integer, nullable=False),
    Column("handed_off", Integer, nullable=False),            # bot-engaged and handed off
    Column("contained", Integer, nullable=False),
    Column("handed_off_any", Integer, nullable=False),
)
report_handoff_days = Table(
    "report_handoff_days", metadata,
    Column("day", Date, primary_key=True),                    # requested that local day
    Column("reasons", Text, primary_key=True),
    Column("handoffs", Integer, nullable=False),
    Column("abandoned", Integer, nullable=False),
    Column("queued", Integer, nullable=False),
    Column("after_hours_ticket", Integer, nullable=False),
    Column("no_agent_ticket", Integer, nullable=False),
)
Index("ix_report_handoffs_requested_day", report_handoffs.c.requested_day)
