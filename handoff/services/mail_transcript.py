"""The chat transcript asked for in the chat itself ("Können Sie mir den Verlauf per Mail schicken?", issue 16).

The bot finds the address the customer typed, asks what it must (actions/transcript.py) and sends the service a
`transcript_requested` event (bot/custom_messages.py). The request then goes through the one transcript use case,
`mail_outbox.enqueue_transcript_in`, the same as the widget's API: only to an address the customer typed in this
conversation, at most three times. It runs inside the transaction that stores the bot's answer, and the customer is
told what really happened: sent (the address masked), waiting because sending is not set up, or refused with what
to do instead.
"""
from __future__ import annotations

from dataclasses import dataclass

from handoff.mail.addresses import masked_address
from handoff.services.context import ServiceContext
from handoff.services.mail_outbox import TranscriptRefused, enqueue_transcript_in, mail_settings
from handoff.services.unit_of_work import UnitOfWork

SENT_TEXT = ("Ich habe den Verlauf an {address} geschickt. Falls er nicht in ein paar Minuten ankommt, schauen Sie "
             "bitte auch im Spam-Ordner nach.")
# No SMTP relay set up: the mail waits in the outbox (docs/email.md); "geschickt" would not be true.
WAITING_TEXT = ("Ich habe den Verlauf für {address} vorgemerkt. Unser E-Mail-Versand ist gerade nicht eingerichtet, "
                "deshalb geht er erst raus, sobald er es wieder ist; bis dahin steht alles hier im Chat.")
REFUSED_TEXT = "Den Verlauf habe ich nicht verschickt. {reason} {next_step}"
ANOTHER_ADDRESS = "Sie können mir auch eine andere Adresse nennen, zum Beispiel „Verlauf an name@beispiel.de“."
TYPE_IT_AGAIN = "Schreiben Sie mir die Adresse bitte so: „Verlauf an name@beispiel.de“."
STILL_IN_THE_CHAT = "Der ganze Verlauf steht weiter hier im Chat."
NEXT_STEPS = {
    TranscriptRefused.INVALID: TYPE_IT_AGAIN,
    TranscriptRefused.NOT_TYPED: TYPE_IT_AGAIN,
    TranscriptRefused.LIMIT: STILL_IN_THE_CHAT,
    TranscriptRefused.UNDELIVERABLE: ANOTHER_ADDRESS,
}


@dataclass(frozen=True)
class TranscriptAnswer:
    text: str
    sent: bool   # False: refused; the caller adds the offer of a person, so it is never a dead end


async def transcript_requested_in(uow: UnitOfWork, ctx: ServiceContext, conversation_id: str, address: str,
                                  customer_text: str = "") -> TranscriptAnswer:
    """The bot's `transcript_requested` in answer to `customer_text`: enqueue the transcript in `uow` and the
    sentence that says how it went."""
    try:
        enqueued = await enqueue_transcript_in(uow, ctx, conversation_id, address, just_typed=customer_text)
    except TranscriptRefused as refused:
        text = REFUSED_TEXT.format(reason=refused.message, next_step=NEXT_STEPS.get(refused.reason, ""))
        return TranscriptAnswer(text.strip(), sent=False)
    template = SENT_TEXT if mail_settings(ctx).sending_enabled else WAITING_TEXT
    return TranscriptAnswer(template.format(address=masked_address(enqueued.to_address)), sent=True)
