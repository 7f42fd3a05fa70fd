"""Decides, from the customer messages since the last handoff, whether a person should take over."""
from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

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
    REASON_NOT_HELPED,
    REASON_REPEATED_QUESTION,
    REASON_TONE,
    Assessment,
    Reason,
)
from bot.escalation.config import EscalationConfig
from bot.dialogue.followup import is_elliptical_follow_up, signals_answer_did_not_help
from bot.escalation.names import (
    CLOSING_INTENTS,
    CONVERSATIONAL_INTENTS,
    CUE_LEGAL_THREAT,
    INTENTS_WITH_A_LOSS,
    INTENT_GDPR_REQUEST,
    INTENT_INSULT,
    INTENT_NOT_HELPED,
    INTENT_REQUEST_HUMAN,
    TONE_LABEL_ABUSIVE,
    TONE_LABEL_CALM,
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
            _tone(rolling, latest, len(turns), config),
            _fallbacks(consecutive, config),
            repeated_question(turns, config),
            _not_helped(turns, config),
        )
        if reason is not None
    ]
    if reasons:
        level = LEVEL_HANDOFF
    elif _shows_frustration(latest, config) or _says_not_helped(turns):
        level = LEVEL_WATCH
    else:
        level = LEVEL_NONE

    mood = wording_de.mood(rolling, _is_insult(latest), config)
    summary = wording_de.summary_line(mood, rolling, len(turns), fallbacks, reasons)
    summary += "".join(f"; {NOT_HELPED_SUMMARY}" for reason in reasons if reason.code == REASON_NOT_HELPED)
    return Assessment(
        level=level,
        reasons=tuple(reasons),
        rolling_tone=rolling,
        fallbacks=fallbacks,
        consecutive_fallbacks=consecutive,
        fallback_limit=config.max_consecutive_fallbacks,
        turns=len(turns),
        cues=latest.tone_cues,
        summary_de=summary,
    )


NOT_HELPED_SUMMARY = "Antworten halfen nicht"


def handed_off_for_fallbacks(escalation: Mapping[str, Any] | None, consecutive: int) -> dict[str, Any]:
    """The `escalation` slot value once action_clarify finds the latest message the `consecutive`-th not
    understood in a row (the policy assessed it before the bot's answer showed it was not understood)."""
    current = dict(escalation or {})
    fallbacks = int(current.get("fallbacks") or 0) + 1
    reasons = [reason for reason in current.get("reasons") or [] if reason.get("code") != REASON_FALLBACKS]
    reasons.append(_fallbacks(consecutive, EscalationConfig(max_consecutive_fallbacks=1)).as_dict())
    summary = str(current.get("summary_de") or "")
    line = f"{fallbacks}x nicht verstanden"
    summary = re.sub(r"\d+x nicht verstanden", line, summary) if "nicht verstanden" in summary else (
        f"{summary}; {line}" if summary else line)
    return {**current, "level": LEVEL_HANDOFF, "reasons": reasons, "fallbacks": fallbacks,
            "consecutive_fallbacks": consecutive, "summary_de": summary}


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
    """The customer asks again what the bot already answered, and shows that the answer did not help.

    The same need: nearly the same text as an earlier answered message, or the same (non-conversational)
    intent as the previous, answered message. Together with a sign that the answer did not help: the message
    says so ("immer noch", "hab ich doch gefragt"), or its tone is frustrated or grew sharper. A calm question
    on the same topic is a follow-up, and an elliptical one ("Und wie teuer ist das?") always is.
    """
    if len(turns) < 2:
        return None
    latest, previous = turns[-1], turns[-2]
    said_so = _says_not_helped(turns)
    if is_elliptical_follow_up(latest.text) and not said_so:
        return None
    rise = latest.tone_score - previous.tone_score
    sharper = latest.tone_score >= config.tone_watch_threshold and (
        rise >= config.repeat_tone_rise or latest.tone_label != TONE_LABEL_CALM
    )
    if not (said_so or sharper):
        return None
    # The whole message, or one of its sentences: "Ich frage nochmal: WO IST MEIN PAKET???" repeats the question.
    pieces = [latest.text, *(piece for piece in re.split(r"[.!?:;]+", latest.text) if piece.strip() != latest.text)]
    for piece in pieces:
        if len(normalise(piece)) < config.repeat_min_chars:
            continue
        for position, earlier in enumerate(turns[:-1], start=1):
            score = similarity(piece, earlier.text)
            if not earlier.fell_back and score >= config.repeat_text_similarity:
                detail = wording_de.repeated_text_detail(position)
                return Reason(REASON_REPEATED_QUESTION, round(score, 3), detail)
    same_question = (
        latest.intent is not None
        and latest.intent == previous.intent
        and latest.intent not in CONVERSATIONAL_INTENTS
        and not previous.fell_back
    )
    if same_question:
        detail = (f"Anliegen '{latest.intent}' erneut: die Antwort hat nicht geholfen" if said_so
                  else wording_de.repeated_intent_detail(latest.intent))
        return Reason(REASON_REPEATED_QUESTION, latest.intent, detail)
    return None


def _customer_request(latest: Turn) -> Reason | None:
    if latest.intent != INTENT_REQUEST_HUMAN:
        return None
    confidence = round(latest.intent_confidence, 3)
    return Reason(REASON_CUSTOMER_REQUEST, confidence, wording_de.DETAIL_CUSTOMER_REQUEST)


def _is_insult(latest: Turn) -> bool:
    """The tone scorer says abusive; or the NLU says insult and the tone is not calm. Both signals must agree for
    the NLU's insult: a calm "Seid ihr auf Social Media?" once read as an insult, and a wrongly insulted customer
    handed off as "beleidigend" is worse than one more clarifying question."""
    if latest.tone_label == TONE_LABEL_ABUSIVE:
        return True
    return latest.intent == INTENT_INSULT and latest.tone_label != TONE_LABEL_CALM


def _abusive(latest: Turn) -> Reason | None:
    """An insult, whichever of the two saw it: the tone scorer (label `abusive`) or the NLU (intent `insult`)."""
    if not _is_insult(latest):
        return None
    return Reason(REASON_ABUSIVE, round(latest.tone_score, 3), wording_de.DETAIL_ABUSIVE)


def _says_not_helped(turns: Sequence[Turn]) -> bool:
    """The latest message, after an answer, says the answer did not help."""
    return len(turns) >= 2 and _not_helped_message(turns[-1])


def _not_helped_message(turn: Turn) -> bool:
    return turn.intent == INTENT_NOT_HELPED or signals_answer_did_not_help(turn.text)


def _not_helped(turns: Sequence[Turn], config: EscalationConfig) -> Reason | None:
    """Repeated failure builds up: the answers did not help `max_not_helped` times (the first message of a
    window has no answer before it to judge). Disappointment, not an insult: it needs more than one message."""
    if not _says_not_helped(turns):
        return None
    count = sum(1 for turn in turns[1:] if _not_helped_message(turn))
    if count < config.max_not_helped:
        return None
    return Reason(REASON_NOT_HELPED, count, f"Kunde schreibt {count}x, dass die Antwort nicht geholfen hat")


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


def _tone(rolling: float, latest: Turn, turn_count: int, config: EscalationConfig) -> Reason | None:
    if turn_count < config.tone_min_turns or rolling < config.tone_handoff_threshold:
        return None
    if latest.intent in CLOSING_INTENTS and not _shows_frustration(latest, config):
        return None  # "Danke, jetzt klappt es" after an earlier outburst ends the conversation well
    return Reason(REASON_TONE, round(rolling, 3), wording_de.tone_detail(rolling, turn_count))


def _fallbacks(consecutive: int, config: EscalationConfig) -> Reason | None:
    if consecutive < config.max_consecutive_fallbacks:
        return None
    return Reason(REASON_FALLBACKS, consecutive, wording_de.fallbacks_detail(consecutive))


def _shows_frustration(latest: Turn, config: EscalationConfig) -> bool:
    """The latest message itself shows frustration: the tone scorer labels it frustrated (its calibrated decision;
    a calm label with a middling score is a calm message). The rolling tone of earlier messages alone does not
    put a calm message on "watch", and thanks, goodbyes, greetings and questions about the bot never are."""
    if latest.intent in CLOSING_INTENTS and latest.tone_label == TONE_LABEL_CALM:
        return False
    return latest.tone_label == TONE_LABEL_FRUSTRATED
