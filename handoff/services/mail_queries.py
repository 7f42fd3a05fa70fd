"""What agents see of e-mail: whether sending is set up, the outbox of a ticket with German labels, and whether
the customer's address is undeliverable. Read-only."""
from __future__ import annotations

from typing import Any

from handoff.services.context import ServiceContext
from handoff.services.mail_outbox import mail_settings
from handoff.services.views import iso
from handoff.store import mail as store
from handoff.store import tickets as ticket_store
from handoff.services.errors import NotFound
from handoff.services.unit_of_work import reading

STATUS_LABELS_DE = {
    store.PENDING: "wartet im Postausgang", store.SENDING: "wird gesendet", store.SENT: "versandt",
    store.FAILED: "Versand fehlgeschlagen", store.UNDELIVERABLE: "unzustellbar",
}
NOT_CONFIGURED_DE = ("E-Mail-Versand ist nicht eingerichtet (SMTP_HOST fehlt). E-Mails warten im Postausgang und "
                     "gehen raus, sobald der Versand eingerichtet ist; die Antwort sieht die Kundin oder der Kunde "
                     "bis dahin im Chat-Fenster.")


async def mail_status(ctx: ServiceContext) -> dict[str, Any]:
    settings = mail_settings(ctx)
    async with reading(ctx) as conn:
        counts = await store.outbox_counts(conn)
    return {"sending_enabled": settings.sending_enabled, "from_address": settings.from_address,
            "note": None if settings.sending_enabled else NOT_CONFIGURED_DE,
            "outbox": {status: counts.get(status, 0) for status in STATUS_LABELS_DE},
            "smtp_intake": settings.intake_port is not None, "imap_intake": settings.imap_host is not None}


async def ticket_mail(ctx: ServiceContext, ticket_id: str) -> dict[str, Any]:
    settings = mail_settings(ctx)
    async with reading(ctx) as conn:
        ticket = await ticket_store.get_ticket(conn, ticket_id)
        if ticket is None:
            raise NotFound("Ticket nicht gefunden.")
        rows = await store.outbox_of_ticket(conn, ticket_id)
        bounced = await store.undeliverable(conn, ticket["email"])
    mails = [{
        "id": row["id"], "article_id": row["article_id"], "purpose": row["purpose"], "to": row["to_address"],
        "subject": row["subject"], "message_id": row["message_id"], "status": row["status"],
        "status_label": STATUS_LABELS_DE.get(row["status"], row["status"]), "attempts": row["attempts"],
        "next_attempt_at": iso(row["next_attempt_at"]) if row["status"] == store.PENDING else None,
        "last_error": row["last_error"], "created_at": iso(row["created_at"]), "sent_at": iso(row["sent_at"]),
    } for row in rows]
    waiting = any(mail["status"] == store.PENDING for mail in mails)
    return {
        "sending_enabled": settings.sending_enabled,
        "note": NOT_CONFIGURED_DE if waiting and not settings.sending_enabled else None,
        "undeliverable": None if bounced is None else {
            "address": bounced["address"], "status": bounced["status"], "diagnostic": bounced["diagnostic"],
            "since": iso(bounced["bounced_at"]),
            "label": f"Adresse unzustellbar ({bounced['status']}): E-Mails an {bounced['address']} werden nicht "
                     "versandt."},
        "mails": mails,
    }
