"""Names of domain responses and slots the custom actions use (the German texts live in domain.yml)."""
from __future__ import annotations

from bot.custom_messages import HUMAN_REQUEST_TITLE

SLOT_ORDER_NUMBER = "order_number"
SLOT_ORDER_NUMBER_ATTEMPTS = "order_number_attempts"
SLOT_ORDER_TOTAL = "order_total"
SLOT_PROBLEM_DESCRIPTION = "problem_description"
SLOT_PROBLEM_CATEGORY = "problem_category"
# The latest e-mail address the customer typed (entity `email`), the transcript's address and the open question.
SLOT_EMAIL = "email"
SLOT_TRANSCRIPT_EMAIL = "transcript_email"
SLOT_TRANSCRIPT_REQUEST = "transcript_request"

UTTER_ASK_ORDER_NUMBER = "utter_ask_order_number"
UTTER_INVALID_ORDER_NUMBER = "utter_invalid_order_number"
UTTER_ORDER_NUMBER_NOT_RESOLVED = "utter_order_number_not_resolved"
UTTER_ORDER_NOT_FOUND = "utter_order_not_found"
UTTER_ORDER_PROCESSING = "utter_order_processing"
UTTER_ORDER_SHIPPED = "utter_order_shipped"
UTTER_ORDER_SHIPPED_OVERDUE = "utter_order_shipped_overdue"
UTTER_ORDER_DELIVERED = "utter_order_delivered"
UTTER_ORDER_CANCELLED = "utter_order_cancelled"
UTTER_ORDER_RETURNED = "utter_order_returned"
UTTER_ORDER_NOTED_FOR_PROBLEM = "utter_order_noted_for_problem"

UTTER_ASK_TRANSCRIPT_CONFIRM = "utter_ask_transcript_confirm"
UTTER_ASK_TRANSCRIPT_EMAIL = "utter_ask_transcript_email"
UTTER_ASK_TRANSCRIPT_OTHER_EMAIL = "utter_ask_transcript_other_email"
UTTER_TRANSCRIPT_INVALID_EMAIL = "utter_transcript_invalid_email"
UTTER_TRANSCRIPT_CANCELLED = "utter_transcript_cancelled"
UTTER_TRANSCRIPT_NO_ADDRESS = "utter_transcript_no_address"

UTTER_CLARIFY = "utter_clarify"
UTTER_ANYTHING_ELSE = "utter_anything_else"
UTTER_CLARIFY_NO_CANDIDATES = "utter_clarify_no_candidates"

UTTER_PROBLEM_RECORDED = {
    "damaged_item": "utter_problem_recorded_damaged_item",
    "parcel_not_received": "utter_problem_recorded_parcel_not_received",
    "wrong_item": "utter_problem_recorded_wrong_item",
    "report_outage": "utter_problem_recorded_report_outage",
    "complaint": "utter_problem_recorded_complaint",
}

# Used by other parts of the system (escalation policy, action_handoff), kept here so tests know them.
UTTER_OFFER_HUMAN = "utter_offer_human"
UTTER_HANDOFF = "utter_handoff"
UTTER_ACK_FRUSTRATION = "utter_ack_frustration"
EXTERNALLY_USED_RESPONSES = (UTTER_OFFER_HUMAN, UTTER_HANDOFF, UTTER_ACK_FRUSTRATION)

BUTTON_HUMAN_TITLE = HUMAN_REQUEST_TITLE
PAYLOAD_REQUEST_HUMAN = "/request_human"
