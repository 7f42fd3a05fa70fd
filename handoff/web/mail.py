"""E-mail in the web app: the agents' view of a ticket's mails and of the outbox, and the customer's request for
the chat transcript. The mail runtime (sender, SMTP receiver, IMAP polling) is one of the jobs (handoff/jobs.py)."""
from __future__ import annotations

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json

from handoff.services import mail_outbox, mail_privacy, mail_queries
from handoff.web.agent_auth import ADMIN_ROLES, CHAT_ROLES, authenticate
from handoff.web.context import services
from handoff.web.inputs import bearer_token, json_object, required_text
from handoff.web.openapi import (
    AGENT_BEARER, AGENT_SESSION, BOOLEAN, CONVERSATION_TOKEN, INTEGER, NULLABLE_STRING, STRING, Operation, array, obj,
)
from handoff.web.widget import customer_conversation

TAG = "e-mail"
AUTH = (AGENT_SESSION, AGENT_BEARER)
EMAIL_CHARS = 254
MAIL_SCHEMA = obj(
    ("id", "status", "to"), id=STRING, article_id=NULLABLE_STRING, purpose=STRING, to=STRING, subject=STRING,
    message_id=STRING, status=STRING, status_label=STRING, attempts=INTEGER, next_attempt_at=NULLABLE_STRING,
    last_error=NULLABLE_STRING, created_at=STRING, sent_at=NULLABLE_STRING)
TICKET_MAIL = obj(("sending_enabled", "mails"), sending_enabled=BOOLEAN, note=NULLABLE_STRING,
                  undeliverable={"type": "object", "nullable": True}, mails=array(MAIL_SCHEMA))


def blueprint() -> Blueprint:
    bp = Blueprint("mail")

    @bp.get("/api/agent/mail/status", ctx_api=Operation(
        "Whether e-mail is set up (with a German note when it is not) and the outbox by status", TAG,
        {200: obj(("sending_enabled", "outbox"), sending_enabled=BOOLEAN, from_address=STRING,
                  note=NULLABLE_STRING, outbox={"type": "object"}, smtp_intake=BOOLEAN, imap_intake=BOOLEAN)},
        security=AUTH, errors=(401, 403)))
    async def status(request: Request) -> HTTPResponse:
        await authenticate(request, CHAT_ROLES)
        return json(await mail_queries.mail_status(services(request)))

    @bp.get("/api/agent/tickets/<ticket_id>/mail", ctx_api=Operation(
        "The mails of a ticket (answers, acknowledgements) with their delivery state, and whether the customer's "
        "address is undeliverable", TAG, {200: TICKET_MAIL}, security=AUTH, errors=(401, 403, 404)))
    async def ticket_mail(request: Request, ticket_id: str) -> HTTPResponse:
        await authenticate(request, CHAT_ROLES)
        return json(await mail_queries.ticket_mail(services(request), ticket_id[:64]))

    @bp.get("/api/admin/mail/export", ctx_api=Operation(
        "Every mail of a contact's tickets, as sent and as received (data subject access request)", TAG,
        {200: obj(("email", "tickets"), email=STRING, tickets=array({"type": "object"}))},
        query={"email": STRING}, security=AUTH, errors=(401, 403, 422)))
    async def export(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        email = required_text({"email": request.args.get("email")}, "email", EMAIL_CHARS)
        return json({"email": email, "tickets": await mail_privacy.export_address_mail(services(request), email)})

    @bp.delete("/api/admin/mail", ctx_api=Operation(
        "Erase what is stored of a contact's mails outside tickets (mails to it, raw mails from it, its bounce "
        "mark); tickets are deleted with their own erasure", TAG, {200: obj(("deleted",), deleted=INTEGER)},
        query={"email": STRING}, security=AUTH, errors=(401, 403, 422)))
    async def erase(request: Request) -> HTTPResponse:
        await authenticate(request, ADMIN_ROLES)
        email = required_text({"email": request.args.get("email")}, "email", EMAIL_CHARS)
        return json({"deleted": await mail_privacy.erase_address(services(request), email)})

    @bp.post("/api/widget/conversations/<conversation_id>/transcript", ctx_api=Operation(
        "Send the chat transcript by e-mail, only to an address the customer typed in this conversation", TAG,
        {202: obj(("status",), status=STRING, email=STRING)}, request=obj(("email",), email=STRING),
        security=(CONVERSATION_TOKEN,), errors=(400, 401, 403, 404, 422)))
    async def transcript(request: Request, conversation_id: str) -> HTTPResponse:
        conversation = await customer_conversation(request, conversation_id, bearer_token(request))
        email = required_text(json_object(request), "email", EMAIL_CHARS)
        enqueued = await mail_outbox.send_transcript(services(request), conversation.id, email)
        return json({"status": "queued", "email": enqueued.to_address}, status=202)

    return bp

