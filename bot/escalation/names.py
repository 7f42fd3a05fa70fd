"""Names shared with the domain, the NLU pipeline and the service (one place, so a rename is one edit)."""
from __future__ import annotations

# Intents the escalation rules react to (domain.yml).
INTENT_REQUEST_HUMAN = "request_human"
INTENT_NLU_FALLBACK = "nlu_fallback"
INTENT_GDPR_REQUEST = "gdpr_request"
INTENT_DAMAGED_ITEM = "damaged_item"
INTENT_PARCEL_NOT_RECEIVED = "parcel_not_received"
INTENT_WRONG_ITEM = "wrong_item"
# An insult in the words of the NLU (the tone scorer's `abusive` label is the other way to see one).
INTENT_INSULT = "insult"
# "Geht immer noch nicht", "hab ich schon probiert": the previous answer did not help.
INTENT_NOT_HELPED = "not_helped"
INTENT_OUT_OF_SCOPE = "out_of_scope"
# The bot did not understand: the NLU found nothing it knows, or only something it does not cover.
NOT_UNDERSTOOD_INTENTS = frozenset({"nlu_fallback", INTENT_OUT_OF_SCOPE})
# Thanks, goodbyes, greetings, "ok", questions about the bot: never acknowledged as frustration, and tone alone
# does not hand them off (a calm closing after an earlier outburst is the end of the conversation).
CLOSING_INTENTS = frozenset({"thank", "goodbye", "greet", "affirm", "bot_challenge"})
# Goods the customer paid for and did not get intact: above the configured value, a person decides.
INTENTS_WITH_A_LOSS = frozenset({INTENT_DAMAGED_ITEM, INTENT_PARCEL_NOT_RECEIVED, INTENT_WRONG_ITEM})

# Intents that carry no question of their own: repeating them is conversation, not a repeated question.
CONVERSATIONAL_INTENTS = frozenset(
    {
        "affirm",
        "deny",
        "greet",
        "goodbye",
        "thank",
        "thanks",
        "inform",
        "chitchat",
        "bot_challenge",
        "out_of_scope",
        "other_language",
        "insult",
        "not_helped",
        INTENT_NLU_FALLBACK,
        INTENT_REQUEST_HUMAN,
    }
)

# Tone labels and cues written by the tone scorer into parse_data["tone"].
TONE_KEY = "tone"
TONE_LABEL_CALM = "calm"
TONE_LABEL_FRUSTRATED = "frustrated"
TONE_LABEL_ABUSIVE = "abusive"
CUE_LEGAL_THREAT = "legal_threat"
CUE_WAITING_TIME = "waiting_time"
CUE_REPEAT_CONTACT = "repeat_contact"

# Slots and entities.
SLOT_ESCALATION = "escalation"
SLOT_AMOUNT = "amount"
SLOT_ORDER_TOTAL = "order_total"
SLOT_ORDER_NUMBER = "order_number"
SLOT_PROBLEM_DESCRIPTION = "problem_description"

# Actions and responses.
ACTION_HANDOFF = "action_handoff"
RESPONSE_HANDOFF = "utter_handoff"
RESPONSE_ACK_FRUSTRATION = "utter_ack_frustration"
# Bot actions that mean "I did not understand this message" (RulePolicy's core fallback is action_clarify).
FALLBACK_ACTIONS = frozenset({"action_clarify", "action_default_fallback", "action_two_stage_fallback"})
# Answers that say "I cannot help with that": a customer who keeps getting them is not understood either.
NOT_UNDERSTOOD_ACTIONS = FALLBACK_ACTIONS | {"utter_out_of_scope"}
