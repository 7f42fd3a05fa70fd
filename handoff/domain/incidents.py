"""Incidents: several customers reporting the same fault within a window become one incident (pure, stdlib only).

A report is a problem report the bot recorded (a ticket with the bot's problem category). It joins an open incident
of its category when its text is similar enough to one of that incident's reports (an open incident stays known
until an agent closes it); otherwise, when enough similar reports of the category arrived within the window and
belong to no incident yet, they open a new one. Every member keeps the reason it was grouped (category, similarity,
the report it matched, the words they share), so the console can show why.

Similarity is the cosine of character trigram counts of the content words (German folded: umlauts, ß, case), so
"Checkout", "Check-out" and "Checkoutfehler" still meet, and filler words ("ich", "nicht", "bei") do not count.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Iterable, Mapping, Sequence

from handoff.domain.lifecycle import Lifecycle, TransitionRefused

# --- Settings (admin-settable, stored in the settings table; these are the defaults). ---
DEFAULT_MIN_REPORTS = 3
DEFAULT_WINDOW_MINUTES = 60
DEFAULT_SIMILARITY = 0.35
MAX_WINDOW_MINUTES = 7 * 24 * 60
MAX_MIN_REPORTS = 100
MAX_CLOSE_NOTE_CHARS = 2000
# What the console proposes as the note to the reporters (the agent may change or clear it).
DEFAULT_CLOSE_NOTE = "Das Problem ist behoben. Vielen Dank für Ihre Meldung und Ihre Geduld!"
MAX_TITLE_CHARS = 200
SHARED_WORDS_SHOWN = 6
# An incident's newest reports stand for it: a new report is compared with at most this many of them, so a large
# outage (hundreds of reports) costs each further report the same few milliseconds.
MAX_COMPARED_PER_INCIDENT = 50
PROFILE_CACHE_SIZE = 4096

CATEGORY_LABELS_DE = {
    "damaged_item": "Beschädigte Ware", "parcel_not_received": "Paket nicht angekommen",
    "wrong_item": "Falsche oder unvollständige Lieferung", "report_outage": "Technische Störung",
    "complaint": "Beschwerde", "billing_error": "Rechnungsfehler",
}

# Words that say nothing about which fault it is (German function words and the generic words of every report).
STOP_WORDS = frozenset("""
aber alle alles als also am an auch auf aus bei beim bin bis bitte bzw da dann das dass dem den der des die dies
diese dieser doch dort du durch ein eine einem einen einer eines er es etwa euch euer eure fur gibt habe haben hallo
hat hatte heute hier ich ihr ihre im immer in ist ja jetzt kann kein keine man mal mehr mein meine meinem meinen
meiner mich mir mit nach nicht nichts noch nur ob oder ohne schon sehr sein seit sich sie sind so soll und uns
unser unsere vom von vor war was weil wenn wer wie wieder wir wird wo zu zum zur danke guten tag leider gerade
seite problem probleme funktioniert geht gehts klappt irgendwie einfach kommt komme kommen bekomme zeigt steht
mehrmals schon wieder
""".split())
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_WORD = re.compile(r"[a-z0-9]+")
_STOP_FOLDED = frozenset(word.translate(_UMLAUTS) for word in STOP_WORDS) | {"fuer", "ueber", "koennen", "waere"}


class IncidentStatus(str, Enum):
    OPEN = "open"
    CLOSED = "closed"


class IncidentTrigger(str, Enum):
    ASSIGNED = "assigned"
    CLOSED = "closed"


STATUS_LABELS_DE = {IncidentStatus.OPEN: "offen", IncidentStatus.CLOSED: "geschlossen"}
# The one transition table of the incident's lifecycle. Closing is final: a later report of the same fault opens a
# new incident (after a fix, a new fault is news, and the closing note went to the earlier reporters).
TRANSITIONS: dict[tuple[IncidentStatus, IncidentTrigger], IncidentStatus] = {
    (IncidentStatus.OPEN, IncidentTrigger.ASSIGNED): IncidentStatus.OPEN,
    (IncidentStatus.OPEN, IncidentTrigger.CLOSED): IncidentStatus.CLOSED,
}


class InvalidIncidentTransition(TransitionRefused):
    def explain(self) -> str:
        # (str, Enum) members hash as their word: a stored word finds its label, an unknown one stays.
        return f"Diese Störung ist {STATUS_LABELS_DE.get(self.current, self.current)}; das geht nicht mehr."


INCIDENT_LIFECYCLE = Lifecycle(IncidentStatus, IncidentTrigger, TRANSITIONS, InvalidIncidentTransition)
next_incident_status = INCIDENT_LIFECYCLE.next_status


class InvalidIncidentSettings(Exception):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field, self.message = field_name, message


@dataclass(frozen=True)
class GroupingSettings:
    min_reports: int = DEFAULT_MIN_REPORTS        # reports (incl. the new one) that open an incident
    window_minutes: int = DEFAULT_WINDOW_MINUTES  # how far back loose reports count
    similarity: float = DEFAULT_SIMILARITY        # 0..1: how alike two report texts must be

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.window_minutes)

    def to_dict(self) -> dict[str, Any]:
        return {"min_reports": self.min_reports, "window_minutes": self.window_minutes,
                "similarity": self.similarity}

    @classmethod
    def from_dict(cls, data: Any) -> "GroupingSettings":
        if not isinstance(data, Mapping):
            raise InvalidIncidentSettings("incident_grouping", "Objekt mit min_reports, window_minutes und "
                                          "similarity erwartet.")
        min_reports = _whole(data.get("min_reports", DEFAULT_MIN_REPORTS), "min_reports", 2, MAX_MIN_REPORTS)
        window = _whole(data.get("window_minutes", DEFAULT_WINDOW_MINUTES), "window_minutes", 1, MAX_WINDOW_MINUTES)
        similarity = data.get("similarity", DEFAULT_SIMILARITY)
        if isinstance(similarity, bool) or not isinstance(similarity, (int, float)) \
                or not math.isfinite(similarity) or not 0 < similarity <= 1:
            raise InvalidIncidentSettings("similarity", "Zahl größer 0 und höchstens 1 erwartet (z. B. 0.35).")
        return cls(min_reports, window, round(float(similarity), 3))


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidIncidentSettings(name, f"Ganze Zahl von {low} bis {high} erwartet.")
    return value


# --- Text similarity ---

def content_words(text: str) -> list[str]:
    folded = (text or "").lower().translate(_UMLAUTS)
    return [word for word in _WORD.findall(folded) if len(word) > 1 and word not in _STOP_FOLDED]


def _trigrams(words: Iterable[str]) -> Counter[str]:
    grams: Counter[str] = Counter()
    for word in words:
        padded = f"#{word}#"
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


@lru_cache(maxsize=PROFILE_CACHE_SIZE)
def _profile(text: str) -> tuple[Mapping[str, int], float]:
    """A text's trigram counts and their norm, computed once per text (a report is compared again and again)."""
    grams = _trigrams(content_words(text))
    return MappingProxyType(dict(grams)), math.sqrt(sum(c * c for c in grams.values()))


def similarity(a: str, b: str) -> float:
    """Cosine of the character trigram counts of both texts' content words: 0 (nothing alike) .. 1 (same words)."""
    (left, left_norm), (right, right_norm) = _profile(a or ""), _profile(b or "")
    if not left_norm or not right_norm:
        return 0.0
    if len(left) > len(right):
        left, right = right, left
    return sum(count * right.get(gram, 0) for gram, count in left.items()) / (left_norm * right_norm)


def shared_words(a: str, b: str) -> list[str]:
    """Content words the two texts share, or share a stem of five letters with ("fehler" ~ "fehlermeldung")."""
    right = content_words(b)
    found: list[str] = []
    for word in content_words(a):
        if word in found:
            continue
        if word in right or (len(word) >= 5 and any(len(other) >= 5 and other[:5] == word[:5] for other in right)):
            found.append(word)
    return found[:SHARED_WORDS_SHOWN]


# --- Grouping ---

@dataclass(frozen=True)
class Report:
    ticket_id: str
    category: str
    text: str
    reported_at: datetime
    reference: str = ""            # what agents call it (the ticket number), for the reason
    customer: str = ""             # who reported it (their conversation): several reports of one customer are one


@dataclass(frozen=True)
class OpenIncident:
    id: str
    category: str
    reports: tuple[Report, ...]


@dataclass(frozen=True)
class Membership:
    """Why one report belongs to its incident."""
    ticket_id: str
    similarity: float | None       # to `matched`; None for the report all others were matched against
    matched_ticket_id: str | None
    shared_words: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Grouping:
    incident_id: str | None        # the open incident joined; None: a new one is opened with `members`
    members: tuple[Membership, ...] = field(default_factory=tuple)

    @property
    def opens_incident(self) -> bool:
        return self.incident_id is None


def _best_match(report: Report, candidates: Sequence[Report]) -> tuple[float, Report | None]:
    best: tuple[float, Report | None] = (0.0, None)
    for other in candidates:
        score = similarity(report.text, other.text)
        if score > best[0]:
            best = (score, other)
    return best


def group(report: Report, open_incidents: Sequence[OpenIncident], loose: Sequence[Report],
          settings: GroupingSettings, now: datetime) -> Grouping | None:
    """Where the new `report` belongs: an open incident, a new incident with similar loose reports, or nowhere.

    `loose` are reports without an incident (the caller may pass more; other categories and reports outside the
    window are ignored here). Returns None when the report stays on its own.
    """
    best: tuple[float, OpenIncident | None, Report | None] = (0.0, None, None)
    for incident in open_incidents:
        if incident.category != report.category:
            continue
        newest = sorted(incident.reports, key=lambda r: r.reported_at)[-MAX_COMPARED_PER_INCIDENT:]
        score, matched = _best_match(report, newest)
        if score >= settings.similarity and score > best[0]:
            best = (score, incident, matched)
    if best[1] is not None and best[2] is not None:
        return Grouping(best[1].id, (_membership(report, best[2], best[0], settings),))

    since = now - settings.window
    similar: list[Membership] = []
    for other in loose:
        if other.ticket_id == report.ticket_id or other.category != report.category or other.reported_at < since:
            continue
        score = similarity(other.text, report.text)
        if score >= settings.similarity:
            similar.append(_membership(other, report, score, settings))
    customers = {report.customer or report.ticket_id} | {
        other.customer or other.ticket_id for other in loose if other.ticket_id in {m.ticket_id for m in similar}}
    if len(customers) < settings.min_reports:   # "several customers": one customer reporting three times is one
        return None
    anchor = Membership(report.ticket_id, None, None, (), anchor_reason(report, len(customers) - 1, settings))
    return Grouping(None, (anchor, *similar))


def _membership(report: Report, matched: Report, score: float, settings: GroupingSettings) -> Membership:
    words = tuple(shared_words(report.text, matched.text))
    return Membership(report.ticket_id, round(score, 3), matched.ticket_id, words,
                      reason_de(report.category, score, matched.reference, words, settings))


def category_label(category: str) -> str:
    return CATEGORY_LABELS_DE.get(category, category)


def reason_de(category: str, score: float, matched_reference: str, words: Sequence[str],
              settings: GroupingSettings) -> str:
    """E.g. 'Kategorie Technische Störung; Text zu 62 % ähnlich wie NW#12 (ab 35 %); gemeinsam: checkout, fehler'."""
    parts = [f"Kategorie {category_label(category)}",
             f"Text zu {round(score * 100)} % ähnlich wie {matched_reference or 'eine andere Meldung'} "
             f"(ab {round(settings.similarity * 100)} %)"]
    if words:
        parts.append("gemeinsam: " + ", ".join(words))
    return "; ".join(parts)


def anchor_reason(report: Report, others: int, settings: GroupingSettings) -> str:
    return (f"Kategorie {category_label(report.category)}; diese Meldung brachte ähnliche von {others} weiteren "
            f"Kunden aus den letzten {settings.window_minutes} Minuten zusammen (ab {settings.min_reports} Kunden "
            "eine Störung)")


def title_for(text: str) -> str:
    line = " ".join((text or "").split())
    return (line[: MAX_TITLE_CHARS - 1] + "…") if len(line) > MAX_TITLE_CHARS else line


# --- What customers read ---

def since_phrase(first_reported_local: datetime, now_local: datetime) -> str:
    """'seit 14:05 Uhr', 'seit gestern, 18:40 Uhr' or 'seit dem 02.12., 09:15 Uhr' (local times)."""
    clock = first_reported_local.strftime("%H:%M")
    days = (now_local.date() - first_reported_local.date()).days
    if days <= 0:
        return f"seit {clock} Uhr"
    if days == 1:
        return f"seit gestern, {clock} Uhr"
    return f"seit dem {first_reported_local.strftime('%d.%m.')}, {clock} Uhr"


def known_incident_text(first_reported_local: datetime, now_local: datetime) -> str:
    """Believe the customer: the fault is known, their report counts, a person is there if they want one."""
    return (f"Dieses Problem ist uns bekannt: Mehrere Kundinnen und Kunden haben es uns "
            f"{since_phrase(first_reported_local, now_local)} gemeldet, und unser Team arbeitet daran. "
            "Ihre Meldung gehört jetzt dazu, und wir schreiben Ihnen hier, sobald es Neuigkeiten gibt. "
            "Möchten Sie trotzdem mit einer Person aus unserem Team sprechen?")


def closing_note_text(note: str) -> str:
    return f"Neuigkeiten zu dem Problem, das Sie uns gemeldet haben: {note}"
