"""The new text of a reply: quoted history and signature removed, the way German mail programs write them.

Recognised: Gmail and Apple Mail ("Am 30.11.2026 um 10:12 schrieb …:", also wrapped over two lines), Outlook
("-----Ursprüngliche Nachricht-----", a "Von:/Gesendet:/An:/Betreff:" block, often under a line of underscores),
Thunderbird/English ("On … wrote:"), trailing ">" quotes, the signature separator "-- " and mobile footers.
Forwarded mails keep the forwarded part: it is what the customer wants us to read. Inline answers between quoted
lines are kept with their quotes. When nothing new is left, the whole text is kept: nothing the customer wrote
is lost by a wrong guess.
"""
from __future__ import annotations

import re

from handoff.mail.html_text import QUOTE_MARKER

_REPLY_HEADER = re.compile(
    r"^\s*(am|on|le|el)\b.{4,200}\b(schrieb|wrote|a écrit|escribió)\b.{0,200}:\s*$", re.IGNORECASE)
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*(ursprüngliche nachricht|original message|originalnachricht)\s*-{2,}\s*$", re.IGNORECASE)
_HEADER_FIELD = re.compile(r"^\s*\*?(von|from|gesendet|sent|datum|date|an|to|betreff|subject|cc)\s*:\*?", re.I)
_FIRST_HEADER_FIELD = re.compile(r"^\s*\*?(von|from|gesendet|sent)\s*:", re.IGNORECASE)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_FORWARD = re.compile(
    r"^\s*(-{2,}\s*(forwarded message|weitergeleitete nachricht|weitergeleitete e-mail)\s*-{2,}"
    r"|anfang der weitergeleiteten (nachricht|e-mail):|begin forwarded message:)\s*$", re.IGNORECASE)
_SIGNATURE = re.compile(r"^--\s?$")
_MOBILE_FOOTER = re.compile(
    r"^\s*(von meinem .{1,40} gesendet|gesendet von meinem .{1,40}|gesendet mit der .{1,40} app"
    r"|sent from my .{1,40}|diese e-mail wurde mit .{1,60} gesendet\.?|get outlook for .{1,20})\s*$",
    re.IGNORECASE)


_FORWARD_SUBJECT = re.compile(r"^\s*(wg|fw|fwd|weitergeleitet|tr)\s*:", re.IGNORECASE)


def is_forward(subject: str) -> bool:
    return bool(_FORWARD_SUBJECT.match(subject or ""))


def new_text(text: str, *, forwarded: bool = False) -> str:
    """What the sender wrote in this mail, without the history it quotes and without the signature.

    `forwarded` (the subject says WG:/Fwd:), or a forward marker before any quote header: the rest is the
    forwarded mail, kept whole; only a mobile footer at the very end goes.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = None if forwarded else _reply_header_index(lines)
    if cut is None and (forwarded or any(_FORWARD.match(line) for line in lines)):
        kept = _drop_footer(lines)
    else:
        kept = lines[:cut] if cut is not None else lines
        kept = _drop_signature(kept)
        kept = _drop_trailing_quotes(kept)
        kept = _drop_footer(kept)
    kept = [line for line in kept if line != QUOTE_MARKER]
    result = "\n".join(kept).strip()
    if not result:   # a mail that is all quote: keep everything (minus the marker), nothing is lost by a guess
        return "\n".join(line for line in lines if line != QUOTE_MARKER).strip()
    return result


def _reply_header_index(lines: list[str]) -> int | None:
    """Index of the first line that starts the quoted earlier mail, unless it sits inside a forwarded part."""
    for index, line in enumerate(lines):
        if _FORWARD.match(line):
            return None   # everything after a forward marker is the forwarded mail: keep it
        if line == QUOTE_MARKER:
            return index
        if _ORIGINAL_MESSAGE.match(line):
            return index
        if _REPLY_HEADER.match(line):
            return index
        # "Am … schrieb Name <\nadresse>:" wrapped by the mail program
        if index + 1 < len(lines) and re.match(r"^\s*(am|on)\s", line, re.IGNORECASE):
            joined = f"{line} {lines[index + 1]}"
            if len(line) < 200 and _REPLY_HEADER.match(joined):
                return index
        if _FIRST_HEADER_FIELD.match(line) and _header_block_follows(lines, index):
            start = index - 1 if index > 0 and _UNDERSCORES.match(lines[index - 1]) else index
            return start
        if _UNDERSCORES.match(line) and index + 1 < len(lines) and _FIRST_HEADER_FIELD.match(lines[index + 1]):
            return index
    return None


def _header_block_follows(lines: list[str], index: int) -> bool:
    """An Outlook quote header: "Von:" followed by at least two more header fields within the next lines."""
    fields = 0
    for line in lines[index + 1:index + 6]:
        if _HEADER_FIELD.match(line):
            fields += 1
        elif line.strip():
            break
    return fields >= 2


def _drop_signature(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if _SIGNATURE.match(line) and index > 0:
            return lines[:index]
    return lines


def _drop_footer(lines: list[str]) -> list[str]:
    end = len(lines)
    while end > 0 and (not lines[end - 1].strip() or _MOBILE_FOOTER.match(lines[end - 1])):
        end -= 1
    return lines[:end]


def _drop_trailing_quotes(lines: list[str]) -> list[str]:
    """A block of ">" lines at the end is the quoted history; ">" lines followed by new text are inline context."""
    end = len(lines)
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith(">")):
        end -= 1
    # The attribution line right above a trailing quote ("Kundenservice schrieb:") goes with it.
    if end < len(lines) and end > 0 and lines[end - 1].rstrip().endswith(":") and re.search(
            r"\b(schrieb|wrote)\b", lines[end - 1], re.IGNORECASE):
        end -= 1
    return lines[:end]
