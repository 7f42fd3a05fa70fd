"""The custom messages the bot sends to the service, and the payload of the "talk to a person" button.

The one home for this format: the actions (which send it), the bot's escalation code and the service
(handoff/services/bot_routing.py, which reads it) all import it from here. Standard library only, so the web
process, which never imports Rasa, can import it too. docs/architecture.md, "Custom payloads from the bot".
"""
from __future__ import annotations

# A bot message whose custom payload has this key is an event for the service, not chat text.
CUSTOM_EVENT_KEY = "event"
# {"event": EVENT_HANDOFF_REQUESTED, "reasons": [...], "summary": {...}}: hand the conversation to a person.
EVENT_HANDOFF_REQUESTED = "handoff_requested"
# {"event": EVENT_PROBLEM_REPORTED, "category": ..., "description": ...}: record the reported problem (ticket).
EVENT_PROBLEM_REPORTED = "problem_reported"
# {"event": EVENT_PROBLEM_ORDER_NOTED, "order_number": ...}: the order number given after a problem report,
# added to that report (ticket), not looked up as a status.
EVENT_PROBLEM_ORDER_NOTED = "problem_order_noted"
# {"event": EVENT_TRANSCRIPT_REQUESTED, "email": ...}: the customer asked for the chat transcript by e-mail, to this
# address they typed in the conversation; the service sends it (or says why not) and writes the answer.
EVENT_TRANSCRIPT_REQUESTED = "transcript_requested"
# The payload and the title of every "talk to a person" button (the request_human intent): one button, one name,
# wherever it is offered (the bot's answers in domain.yml use the same title; tests/unit/test_domain.py checks).
HUMAN_REQUEST_PAYLOAD = "/request_human"
HUMAN_REQUEST_TITLE = "Mit einem Menschen sprechen"
