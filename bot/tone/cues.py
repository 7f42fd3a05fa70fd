"""Tone cues: pure, explainable evidence in a customer's message (shouting, insults, threats, waiting ...).

The cues serve twice: as named reasons in the NLU output (`tone.cues`, shown to agents and used by the
escalation policy) and as extra features of the learned model. They never decide a label on their own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Pattern

from bot.ngrams import fold, tokens  # noqa: F401  (cues.fold/cues.tokens: the folding every lexicon assumes)
from bot.tone import lexicon

CAPS = "caps"
EXCLAMATIONS = "exclamations"
QUESTION_MARKS = "question_marks"
REPEATED_LETTERS = "repeated_letters"
INSULT = "insult"
PROFANITY = "profanity"
MILD_PROFANITY = "mild_profanity"
THREAT = "threat"
LEGAL_THREAT = "legal_threat"
CANCEL_THREAT = "cancel_threat"
PUBLIC_THREAT = "public_threat"
REPEAT_CONTACT = "repeat_contact"
WAITING_TIME = "waiting_time"
SARCASM = "sarcasm"
DEMAND = "demand"
INCOMPETENCE = "incompetence"
ANGRY_EMOJI = "angry_emoji"
REPEATED_FAILURE = "repeated_failure"  # "immer noch nicht", "schon probiert, ohne Erfolg", "wieder nicht"
DISAPPOINTMENT = "disappointment"  # "enttäuscht", "schade", "hatte mehr erwartet"
ANNOYANCE = "annoyance"  # "ärgerlich", "hilft mir nicht weiter", "Nase voll"
WORRY = "worry"  # "Ich mache mir Sorgen", "beunruhigt", "verzweifelt"
POSITIVE = "positive"  # thanks, praise, relief: "Hat funktioniert, danke!!"

CUE_NAMES: tuple[str, ...] = (
    CAPS, EXCLAMATIONS, QUESTION_MARKS, REPEATED_LETTERS, INSULT, PROFANITY, MILD_PROFANITY, THREAT,
    LEGAL_THREAT, CANCEL_THREAT, PUBLIC_THREAT, REPEAT_CONTACT, WAITING_TIME, SARCASM, DEMAND, INCOMPETENCE,
    ANGRY_EMOJI, REPEATED_FAILURE, DISAPPOINTMENT, ANNOYANCE, WORRY, POSITIVE,
)
# Cues that by themselves show that the customer is annoyed, disappointed or angry: evidence enough for an
# acknowledgement (bot/escalation/acknowledge.py) and for a short message to keep its score. The others
# (caps, "!!", "?!", sarcasm, demand, waiting, repeat contact) also occur in calm or happy messages.
EXPLICIT_FRUSTRATION_CUES: frozenset[str] = frozenset(
    {INSULT, PROFANITY, MILD_PROFANITY, THREAT, LEGAL_THREAT, CANCEL_THREAT, PUBLIC_THREAT, INCOMPETENCE,
     ANGRY_EMOJI, REPEATED_FAILURE, DISAPPOINTMENT, ANNOYANCE, WORRY}
)
# Typographic cues only intensify what the words say ("!!" after thanks is joy, after a complaint anger).
INTENSIFIERS: frozenset[str] = frozenset({CAPS, EXCLAMATIONS, QUESTION_MARKS, REPEATED_LETTERS})

MIN_SHOUTED_WORD_LENGTH = 4
MIN_SHOUTED_WORDS = 2
SHOUTED_LETTER_SHARE = 0.6
MIN_LETTERS_FOR_SHARE = 8
MIN_EXCLAMATIONS = 2
MIN_QUESTION_MARKS = 2
INSULT_ADDRESS_WINDOW = 5  # tokens between "ihr"/"du"/"Sie"/"der Fahrer" and an insulting adjective

_WORD = re.compile(r"[^\W\d_]+")
_LONG_RUN = re.compile(r"([^\W\d_])\1{2,}", re.IGNORECASE)
# "ich" right before an insulting word: the speaker means themselves ("ich Idiot habe die Adresse vertauscht").
_SELF_REFERENCE = re.compile(r"\bich\s+(\w+)")
# Words right before an insulting phrase that make the speaker its target ("ich hatte heute kein Hirn dafür").
_SELF_WORDS = frozenset({"ich", "mir", "mich", "mein", "meine", "meinem", "meinen", "meiner"})
SELF_WINDOW = 3
_EXCLAMATION_RUN = re.compile(r"!{2,}|![1!]+")
_QUESTION_RUN = re.compile(r"\?{2,}|\?!|!\?")
_SENTENCE = re.compile(r"[^.!?;]+[.!?;]*")


@dataclass(frozen=True)
class _Lexicons:
    insult_whole: frozenset[str]
    insult_inside: Pattern[str]
    profanity_whole: frozenset[str]
    profanity_inside: Pattern[str]
    lookalikes: tuple[str, ...]
    insult_adjectives: tuple[str, ...]
    thing_adjectives: tuple[str, ...]
    coarse_adjectives: tuple[str, ...]
    copulas: frozenset[str]
    ambiguous_pronouns: frozenset[str]
    second_person: frozenset[str]
    person_nouns: frozenset[str]
    negations: frozenset[str]
    insult_phrases: Pattern[str]
    accusations: tuple[str, ...]
    accusation_endings: frozenset[str]
    accusation_heads: tuple[str, ...]
    verdict_verbs: frozenset[str]
    patterns: dict[str, Pattern[str]]


@lru_cache(maxsize=1)
def _lexicons() -> _Lexicons:
    """Folds and compiles the lexicons once, on first use (nothing happens at import time)."""

    def split(stems: Iterable[str]) -> tuple[frozenset[str], Pattern[str]]:
        # A trailing space in the lexicon means "whole word only" (e.g. "pack " must not hit "Packung");
        # other stems match inside a word, and the pattern returns that whole word for the lookalike check.
        whole = frozenset(fold(s.strip()) for s in stems if s.endswith(" "))
        inside = sorted({re.escape(fold(s)) for s in stems if not s.endswith(" ")}, key=len, reverse=True)
        return whole, re.compile(r"[a-z0-9]*(?:" + "|".join(inside) + r")[a-z0-9]*")

    def compile_all(patterns: Iterable[str]) -> Pattern[str]:
        return re.compile("|".join(f"(?:{fold(p)})" for p in patterns))

    insult_whole, insult_inside = split(lexicon.INSULT_STEMS)
    profanity_whole, profanity_inside = split(lexicon.PROFANITY_STEMS)
    return _Lexicons(
        insult_whole=insult_whole,
        insult_inside=insult_inside,
        profanity_whole=profanity_whole,
        profanity_inside=profanity_inside,
        lookalikes=tuple(fold(s) for s in lexicon.LOOKALIKES),
        insult_adjectives=tuple(fold(s) for s in lexicon.INSULT_ADJECTIVES),
        thing_adjectives=tuple(fold(s) for s in lexicon.THING_ADJECTIVES),
        coarse_adjectives=tuple(fold(s) for s in lexicon.COARSE_ADJECTIVES),
        copulas=frozenset(fold(s) for s in lexicon.COPULAS),
        ambiguous_pronouns=frozenset(fold(s) for s in lexicon.AMBIGUOUS_PRONOUNS),
        second_person=frozenset(fold(s) for s in lexicon.SECOND_PERSON),
        person_nouns=frozenset(fold(s) for s in lexicon.PERSON_NOUNS),
        negations=frozenset(fold(s) for s in lexicon.NEGATIONS),
        insult_phrases=compile_all(lexicon.INSULT_PHRASES),
        accusations=tuple(fold(s) for s in lexicon.ACCUSATION_STEMS),
        accusation_endings=frozenset(lexicon.ACCUSATION_ENDINGS),
        accusation_heads=tuple(fold(s) for s in lexicon.ACCUSATION_COMPOUND_HEADS),
        verdict_verbs=frozenset(lexicon.VERDICT_VERBS),
        patterns={
            PROFANITY: compile_all(lexicon.PROFANITY_PHRASES),
            MILD_PROFANITY: compile_all(lexicon.MILD_PROFANITY),
            THREAT: compile_all(lexicon.THREAT_PATTERNS),
            LEGAL_THREAT: compile_all(lexicon.LEGAL_PATTERNS),
            CANCEL_THREAT: compile_all(lexicon.CANCEL_PATTERNS),
            PUBLIC_THREAT: compile_all(lexicon.PUBLIC_PATTERNS),
            REPEAT_CONTACT: compile_all(lexicon.REPEAT_CONTACT_PATTERNS),
            WAITING_TIME: compile_all(lexicon.WAITING_PATTERNS),
            SARCASM: compile_all(lexicon.SARCASM_PATTERNS),
            DEMAND: compile_all(lexicon.DEMAND_PATTERNS),
            INCOMPETENCE: compile_all(lexicon.INCOMPETENCE_PATTERNS),
            REPEATED_FAILURE: compile_all(lexicon.REPEATED_FAILURE_PATTERNS),
            DISAPPOINTMENT: compile_all(lexicon.DISAPPOINTMENT_PATTERNS),
            ANNOYANCE: compile_all(lexicon.ANNOYANCE_PATTERNS),
            WORRY: compile_all(lexicon.WORRY_PATTERNS),
            POSITIVE: compile_all(lexicon.POSITIVE_PATTERNS),
        },
    )


def detect_cues(text: str) -> list[str]:
    """The cues that fire in `text`, in the fixed order of CUE_NAMES."""
    folded = fold(text)
    words = tokens(folded)
    lex = _lexicons()
    fired: set[str] = set()
    if _is_shouting(text):
        fired.add(CAPS)
    if _EXCLAMATION_RUN.search(text) or text.count("!") >= MIN_EXCLAMATIONS + 1:
        fired.add(EXCLAMATIONS)
    if _QUESTION_RUN.search(text) or text.count("?") >= MIN_QUESTION_MARKS + 1:
        fired.add(QUESTION_MARKS)
    if _LONG_RUN.search(text):
        fired.add(REPEATED_LETTERS)
    if any(e in text for e in lexicon.ANGRY_EMOJI):
        fired.add(ANGRY_EMOJI)
    others = _without_self_insults(folded, lex)
    if (
        _has_stem(others, tokens(others), lex.insult_whole, lex.insult_inside, lex.lookalikes)
        or _insulting_adjective(words, lex)
        or _insulting_phrase(folded, lex)
        or _aimed_accusation(others, lex)
    ):
        fired.add(INSULT)
    if _has_stem(folded, words, lex.profanity_whole, lex.profanity_inside, lex.lookalikes):
        fired.add(PROFANITY)
    for cue, pattern in lex.patterns.items():
        if pattern.search(folded):
            fired.add(cue)
    return [cue for cue in CUE_NAMES if cue in fired]


def _is_shouting(text: str) -> bool:
    words = [w for w in _WORD.findall(text) if len(w) >= MIN_SHOUTED_WORD_LENGTH]
    shouted = [w for w in words if w.isupper() and w not in lexicon.ACRONYMS]
    if len(shouted) >= MIN_SHOUTED_WORDS:
        return True
    letters = [c for c in text if c.isalpha()]
    if len(letters) < MIN_LETTERS_FOR_SHARE:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= SHOUTED_LETTER_SHARE


def _has_stem(
    folded: str, words: list[str], whole: frozenset[str], inside: Pattern[str], lookalikes: tuple[str, ...]
) -> bool:
    if not whole.isdisjoint(words):
        return True
    return any(not any(look in hit for look in lookalikes) for hit in inside.findall(folded))


def _without_self_insults(folded: str, lex: _Lexicons) -> str:
    """The text without "ich Idiot" / "ich Depp": a customer scolding themselves insults nobody."""
    def self_insult_dropped(match: re.Match[str]) -> str:
        word = match.group(1)
        return "ich" if word in lex.insult_whole or lex.insult_inside.search(word) else match.group(0)
    return _SELF_REFERENCE.sub(self_insult_dropped, folded)


def _aimed_accusation(folded: str, lex: _Lexicons) -> bool:
    """"Betrüger", "Verbrecher", "Nazi" ... aimed at someone (lexicon.ACCUSATION_STEMS), not merely mentioned.

    Read sentence by sentence, so that "euch" in one sentence does not aim a "Betrüger" in the next.
    """
    short = len(tokens(folded)) <= 3
    for sentence in _SENTENCE.findall(folded):
        words = tokens(sentence)
        asked, exclaimed = sentence.rstrip().endswith("?"), sentence.rstrip().endswith("!")
        for index, word in enumerate(words):
            stem = next((s for s in lex.accusations if s in word), None)
            if stem is None or word.startswith("anti"):
                continue
            rest = word[word.index(stem) + len(stem):]
            if rest not in lex.accusation_endings:
                if rest.strip("s").endswith(lex.accusation_heads):
                    return True  # a compound naming a group: "Betrügerbande", "Verbrecherladen"
                continue  # a description: "Betrügermail", "Nazizeit"
            before, after = words[max(0, index - 4) : index], words[index + 1 : index + 4]
            if (
                (short and not asked)
                or (exclaimed and index == len(words) - 1)
                or any(w in lex.second_person and w not in lex.ambiguous_pronouns for w in before)
                or any(w in lex.second_person for w in before[-2:])
                or (not asked and any(w in lex.verdict_verbs for w in before[-3:]))
                or (any(w in lex.copulas for w in after) and any(w in lex.second_person for w in after))
            ):
                return True
    return False


def _insulting_phrase(folded: str, lex: _Lexicons) -> bool:
    """An insulting phrase ("kein Hirn", "IQ eines Toasters") unless the speaker says it about themselves."""
    for match in lex.insult_phrases.finditer(folded):
        if _SELF_WORDS.isdisjoint(tokens(folded[: match.start()])[-SELF_WINDOW:]):
            return True
    return False


def _insulting_adjective(words: list[str], lex: _Lexicons) -> bool:
    """An insulting adjective counts only when aimed at an addressee or a person, and not negated.

    Aimed: an addressee or person before it ("ihr seid dumm", "der Fahrer ist dämlich"), or after it with a
    being verb ("wie blöd seid ihr"). "Sie"/"ihre" count only before it ("zu fett, kann ich sie umtauschen"
    is about a cream). Adjectives that also describe things ("gestört", "dreckig", "hässlich") need the being
    verb with the addressee, or a person right after them ("dreckige Lügner").
    """
    for index, word in enumerate(words):
        if not word.startswith(lex.insult_adjectives):
            continue
        negated = words[max(0, index - 2) : index]
        if not lex.negations.isdisjoint(negated) and "nur" not in negated:  # "nicht (für) dumm", not "nicht nur"
            continue
        if word.startswith(lex.coarse_adjectives):
            return True
        before = words[max(0, index - INSULT_ADDRESS_WINDOW) : index]
        after = words[index + 1 : index + INSULT_ADDRESS_WINDOW + 1]
        addressed_before = any(w in lex.second_person or w in lex.person_nouns for w in before)
        addressed_after = any(w in lex.copulas for w in after) and any(
            (w in lex.second_person and w not in lex.ambiguous_pronouns) or w in lex.person_nouns for w in after
        )
        if word.startswith(lex.thing_adjectives):
            if (addressed_before and any(w in lex.copulas for w in before)) or addressed_after or (
                after[:1] and after[0] in lex.person_nouns
            ):
                return True
        elif addressed_before or addressed_after or (after[:1] and after[0] in lex.person_nouns):
            return True
    return False


def is_happy(fired: Iterable[str]) -> bool:
    """Thanks, praise or relief and nothing that shows annoyance: "!!" and caps then intensify the joy."""
    fired = set(fired)
    return POSITIVE in fired and not fired & (EXPLICIT_FRUSTRATION_CUES | {SARCASM})


def typographic_features(text: str, fired: Iterable[str] | None = None) -> dict[str, float]:
    """Graded typographic signals for the model, each squashed into 0..1.

    In a happy message (`is_happy`) the exclamation and capital-letter signals are zero: "DANKE!!" is
    intensified thanks, not shouting.
    """
    letters = [c for c in text if c.isalpha()]
    upper_share = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
    happy = is_happy(detect_cues(text) if fired is None else fired)
    return {
        "upper_share": 0.0 if happy or len(letters) < MIN_LETTERS_FOR_SHARE else upper_share,
        "exclamation_count": 0.0 if happy else min(text.count("!"), 5) / 5,
        "question_count": min(text.count("?"), 5) / 5,
        "length": min(len(text), 400) / 400,
    }
