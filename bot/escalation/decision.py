"""Decides, from the customer messages since the last handoff, whether a person should take over."""
from __future__ import annotations

from typing import Sequence

from bot.escalation import wording_de
from bot.escalation.assessment import (
    LEVEL_HANDOFF,
    LEVEL_NONE,
    LEVEL_WATCH,
    REASON_ABUSIVE,
    REASON_CUSTOMER_REQUEST,
    REASON_DAMAGE_VALUE,
    REASON_DATA_PROTECTION,
    REASON_FALLBACKS,
    REASON_LEGAL_THREAT,
    REASON_REPEATED_QUESTION,
    REASON_TONE,
    Assessment,
    Reason,
)
from bot.escalation.config import EscalationConfig
from bot.escalation.names import (
    CONVERSATIONAL_INTENTS,
    CUE_LEGAL_THREAT,
    INTENTS_WITH_A_LOSS,
    INTENT_GDPR_REQUEST,
    INTENT_REQUEST_HUMAN,
    TONE_LABEL_ABUSIVE,
    TONE_LABEL_FRUSTRATED,
)
from bot.escalation.similarity import normalise, similarity
from bot.escalation.turn import Turn


def assess(turns: Sequence[Turn], config: EscalationConfig) -> Assessment:
    """Level "handoff" when any reason applies, "watch" when tone is rising but not there yet, else "none"."""
    if not turns:
        return Assessment(summary_de=wording_de.summary_line(wording_de.MOOD_CALM, 0.0, 0, 0, ()))
    latest = turns[-1]
    rolling = rolling_tone(turns, config.tone_decay)
    consecutive = consecutive_fallbacks(turns)
    fallbacks = sum(1 for turn in turns if turn.fell_back)

    reasons = [
        reason
        for reason in (
            _customer_request(latest),
            _abusive(latest),
            _legal_threat(latest),
            _data_protection(latest),
            _damage_value(turns, config),
            _tone(rolling, len(turns), config),
            _fallbacks(consecutive, config),
            repeated_question(turns, config),
        )
        if reason is not None
    ]
    if reasons:
        level = LEVEL_HANDOFF
    elif _tone_rising(latest, rolling, config):
        level = LEVEL_WATCH
    else:
        level = LEVEL_NONE

    mood = wording_de.mood(rolling, latest.tone_label == TONE_LABEL_ABUSIVE, config)
    return Assessment(
        level=level,
        reasons=tuple(reasons),
        rolling_tone=rolling,
        fallbacks=fallbacks,
        consecutive_fallbacks=consecutive,
        turns=len(turns),
        cues=latest.tone_cues,
        summary_de=wording_de.summary_line(mood, rolling, len(turns), fallbacks, reasons),
    )


def rolling_tone(turns: Sequence[Turn], decay: float) -> float:
    """Mean tone weighted by decay**age: the latest message counts most, old calm ones fade out."""
    weighted = total = 0.0
    weight = 1.0
    for turn in reversed(turns):
        weighted += weight * turn.tone_score
        total += weight
        weight *= decay
        if weight == 0.0:
            break
    return weighted / total if total else 0.0


def consecutive_fallbacks(turns: Sequence[Turn]) -> int:
    count = 0
    for turn in reversed(turns):
        if not turn.fell_back:
            break
        count += 1
    return count


def repeated_question(turns: Sequence[Turn], config: EscalationConfig) -> Reason | None:
    """The customer asks again what the bot already answered: the answer did not help.

    Either nearly the same text as an earlier answered message, or the same (non-conversational) intent
    right after its answer while the tone grew sharper — rephrasing in anger, not a follow-up.
    """
    if len(turns) < 2:
        return None
    latest, previous = turns[-1], turns[-2]
    if len(normalise(latest.text)) >= config.repeat_min_chars:
        for position, earlier in enumerate(turns[:-1], start=1):
            score = similarity(latest.text, earlier.text)
            if not earlier.fell_back and score >= config.repeat_text_similarity:
                detail = wording_de.repeated_text_detail(position)
                return Reason(REASON_REPEATED_QUESTION, round(score, 3), detail)
    same_question = (
        latest.intent is not None
        and latest.intent == previous.intent
        and latest.intent not in CONVERSATIONAL_INTENTS
        and not previous.fell_back
    )
    rise = latest.tone_score - previous.tone_score
    if same_question and rise >= config.repeat_tone_rise and latest.tone_score >= config.tone_watch_threshold:
        detail = wording_de.repeated_intent_detail(latest.intent)
        return Reason(REASON_REPEATED_QUESTION, latest.intent, detail)
    return None


def _customer_request(latest: Turn) -> Reason | None:
    if latest.intent != INTENT_REQUEST_HUMAN:
        return None
    confidence = round(latest.intent_confidence, 3)
    return Reason(REASON_CUSTOMER_REQUEST, confidence, wording_de.DETAIL_CUSTOMER_REQUEST)


def _abusive(latest: Turn) -> Reason | None:
    if latest.tone_label != TONE_LABEL_ABUSIVE:
        return None
    return Reason(REASON_ABUSIVE, round(latest.tone_score, 3), wording_de.DETAIL_ABUSIVE)


def _legal_threat(latest: Turn) -> Reason | None:
    if CUE_LEGAL_THREAT not in latest.tone_cues:
        return None
    return Reason(REASON_LEGAL_THREAT, CUE_LEGAL_THREAT, wording_de.DETAIL_LEGAL_THREAT)


def _data_protection(latest: Turn) -> Reason | None:
    if latest.intent != INTENT_GDPR_REQUEST:
        return None
    return Reason(REASON_DATA_PROTECTION, INTENT_GDPR_REQUEST, wording_de.DETAIL_DATA_PROTECTION)


def _damage_value(turns: Sequence[Turn], config: EscalationConfig) -> Reason | None:
    """Damaged, lost or wrongly delivered goods above the limit: the value named by the customer wins over the
    whole order's total."""
    loss = next((turn.intent for turn in reversed(turns) if turn.intent in INTENTS_WITH_A_LOSS), None)
    if loss is None:
        return None
    amount = next((turn.amount for turn in reversed(turns) if turn.amount is not None), None)
    if amount is None:
        amount = next((turn.order_total for turn in reversed(turns) if turn.order_total is not None), None)
    if amount is None or amount <= config.damage_value_threshold:
        return None
    return Reason(
        REASON_DAMAGE_VALUE, round(amount, 2), wording_de.damage_detail(amount, config.damage_value_threshold, loss)
    )


def _tone(rolling: float, turn_count: int, config: EscalationConfig) -> Reason | None:
    if turn_count < config.tone_min_turns or rolling < config.tone_handoff_threshold:
        return None
    return Reason(REASON_TONE, round(rolling, 3), wording_de.tone_detail(rolling, turn_count))


def _fallbacks(consecutive: int, config: EscalationConfig) -> Reason | None:
    if consecutive < config.max_consecutive_fallbacks:
        return None
    return Reason(REASON_FALLBACKS, consecutive, wording_de.fallbacks_detail(consecutive))


def _tone_rising(latest: Turn, rolling: float, config: EscalationConfig) -> bool:
    return (
        rolling >= config.tone_watch_threshold
        or latest.tone_score >= config.tone_watch_threshold
        or latest.tone_label == TONE_LABEL_FRUSTRATED
    )
