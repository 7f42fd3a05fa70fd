"""Reading a customer message in the light of the answer before it (German, standard library only).

Two signals the dialogue needs besides the intent:
- an *elliptical follow-up* ("Und wie teuer ist das?", "und nach Italien?", "Was ist mit PayPal?") carries on
  the topic just answered: it has no topic of its own and is never the same question again;
- a *sign that the answer did not help* ("geht immer noch nicht", "hab ich schon probiert", "das beantwortet
  meine Frage nicht"): without one, asking about the same topic again is a follow-up, not a complaint.
"""
from __future__ import annotations

import re
import unicodedata

# An elliptical follow-up is short: a long message starting with "und" brings its own question.
MAX_FOLLOW_UP_WORDS = 9

_OPENERS = (
    r"und|u\.|oder",
    r"was ist (denn )?(mit|bei|wenn)",
    r"wie ist (es|das) (denn )?(mit|bei)",
    r"wie sieht('?s| es| das) (denn )?(mit|bei|aus mit)",
    r"wie schaut('?s| es) (denn )?(mit|bei)",
    r"(gilt|geht|klappt|funktioniert) (das|dies|es) (denn )?(auch|ebenfalls)",
    r"(ginge|waere|wäre) (das|es) auch",
    r"auch (fuer|für|nach|bei|mit|in|aus)",
    r"(das gleiche|dasselbe|genauso) (fuer|für|nach|bei|mit)",
    r"(und )?wie waere es mit|(und )?wie wäre es mit",
    # A correction of the detail just asked about: "Nein, ich meinte Österreich", "gemeint war PayPal".
    r"ich mein(t)?e( eigentlich| natuerlich| natürlich)?|gemeint war|eigentlich (nach|in|mit|fuer|für)",
)
# Courtesy words that may come before the opener: "Ok, und nach Italien?", "Danke! Und mit PayPal?".
_LEAD_IN = r"(?:(?:ok(?:ay)?|okay|ah|aha|achso|ach so|ach|alles klar|gut|super|prima|danke(?: schoen| schön)?|verstehe|"\
           r"klasse|perfekt|top|jo|ja|hm+|aha|schade|nein|nee|sorry|entschuldigung|pardon|oh|oops|ups)[\s,.!:;-]+)*"
_OPENER = re.compile(rf"^{_LEAD_IN}(?:{'|'.join(_OPENERS)})(?!\w)", re.IGNORECASE)

# The answer did not help: the same thing still fails, was already tried, or the question was not answered.
_NOT_HELPED = re.compile(
    r"\b("
    r"immer noch (nicht|kein|keine|nix|nichts)|noch immer (nicht|kein|keine|nix|nichts)"
    r"|(geht|klappt|funktioniert|funzt|tut)( es| das)? (trotzdem|weiterhin|wieder|schon wieder|immer noch) nicht"
    r"|wieder nicht|schon wieder|weiterhin nicht|trotzdem nicht"
    r"|(klappt|geht|funktioniert|funzt)( es| das)?( leider)? (auch|ebenfalls) nicht"
    r"|auch (das|der|die|dies|mit dem|mit der|ein|eine|ein neues|eine neue)\b[^.!?]{0,30}"
    r"\b(klappt|geht|funktioniert)( leider)? nicht"
    r"|(immer noch|noch immer|weiterhin|nach wie vor)( der| die| das| den| ein| eine)?( gleiche| gleichen| selbe| selben)? "
    r"(fehler|fehlermeldung|problem|meldung)"
    r"|(hab|habe|hatte|hab ich|habe ich|hatte ich)( ich)?( doch| ja| alles)? (schon|bereits|laengst|längst)( alles)? "
    r"(probiert|versucht|gemacht|getan|ausprobiert|gesagt|geschrieben|gefragt|erklaert|erklärt)"
    r"|schon (probiert|versucht|gemacht|ausprobiert)|bereits (probiert|versucht|gemacht)"
    r"|ohne erfolg|erfolglos|vergeblich"
    r"|(hilft|half)( mir)?( leider)? (nicht|nichts|nix|kein stueck|kein stück)( weiter)?"
    r"|hat( mir)?( leider)? (nicht|nichts|nix) (geholfen|gebracht)"
    r"|(bringt|brachte|nuetzt|nützt)( mir)?( leider)? (nichts|nix)"
    r"|nicht (weiter)?geholfen|keine hilfe"
    r"|(das )?(beantwortet|beantwortest|beantworten)( das| sie| du)? (meine frage )?nicht"
    r"|(das|die) war (doch )?nicht (meine|die) frage|nicht meine frage|an meiner frage vorbei"
    r"|ich (hab|habe) (doch )?(gefragt|geschrieben),"
    r"|(sie|du) (verstehen|verstehst) (mich )?nicht|(verstehen|verstehst) (sie|du) (mich )?nicht"
    r"|(zum|zum schon) (zweiten|dritten|vierten|x-ten) mal|zum wiederholten mal|nochmal:|noch einmal:"
    r")\b",
    re.IGNORECASE,
)


def fold(text: str) -> str:
    """Lower case, umlauts folded (ä → ae) and ß → ss, whitespace collapsed: customers type both ways."""
    lowered = unicodedata.normalize("NFC", text).lower()
    for source, target in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        lowered = lowered.replace(source, target)
    return " ".join(lowered.split())


def _words(text: str) -> list[str]:
    return re.findall(r"[\wäöüß-]+", text.lower())


def is_elliptical_follow_up(text: str) -> bool:
    """ "Und wie teuer ist das?", "und nach Italien?", "Ok, und mit PayPal?", "Was ist mit der Schweiz?"."""
    stripped = text.strip()
    if not stripped or len(_words(stripped)) > MAX_FOLLOW_UP_WORDS:
        return False
    return bool(_OPENER.match(stripped) or _OPENER.match(fold(stripped)))


def signals_answer_did_not_help(text: str) -> bool:
    """ "Geht leider immer noch nicht", "Hab ich schon probiert, ohne Erfolg", "Das beantwortet meine Frage nicht"."""
    return bool(_NOT_HELPED.search(text) or _NOT_HELPED.search(fold(text)))


# One detail a follow-up asks about the topic just answered: what it costs, or how long it takes.
DETAIL_COST = "cost"
DETAIL_TIME = "time"
_COST = re.compile(r"\b(kost\w*|teuer\w*|preis\w*|gebuehr\w*|porto|gratis|kostenlos|umsonst|versandkostenfrei|was zahle)")
_TIME = re.compile(r"\b(wie lange|dauer\w*|wann|wie schnell|werktag\w*|tage|lieferzeit\w*|braucht|brauchen)\b")


def asked_detail(text: str) -> str | None:
    """ "cost" or "time" when a message asks for exactly one of them ("Und wie teuer ist das?"), else None."""
    folded = fold(text)
    cost, time = bool(_COST.search(folded)), bool(_TIME.search(folded))
    if cost == time:
        return None
    return DETAIL_COST if cost else DETAIL_TIME
