"""HTML → plain text with the standard library's parser: what an HTML-only mail says, never rendered as HTML.

Scripts, styles and the head are dropped; block elements become line breaks; list items get "- "; links keep
their text and show the address when it differs; quoted parts (blockquote, Gmail's gmail_quote, Outlook's
divRplyFwdMsg) become "> " lines, so the quote stripper treats them like quoted plain text.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "header", "footer", "table", "tr", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
    "h6", "pre", "address", "center", "form", "fieldset", "hr", "dl", "dt", "dd",
})
SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template", "svg"})
VOID_TAGS = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"})
# Containers that hold the quoted earlier mail in the HTML of common mail programs.
QUOTE_CLASSES = ("gmail_quote", "moz-cite-prefix", "yahoo_quoted")
QUOTE_IDS = ("divrplyfwdmsg", "appendonsend", "mail-editor-reference-message-container")
QUOTE_MARKER = "\u2063QUOTE\u2063"   # invisible separator: no human writes it


class _TextBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.quote_depth = 0
        self.stack: list[tuple[str, bool]] = []   # (tag, opened a quote)
        self.pre_depth = 0
        self.link_href: str | None = None
        self.link_text: list[str] = []

    # --- lines ---
    def _break(self) -> None:
        text = "".join(self.current)
        if self.pre_depth == 0:
            text = re.sub(r"[ \t\r\n\f\u00a0]+", " ", text).strip()
        prefix = "> " * self.quote_depth
        if text or (self.lines and self.lines[-1].strip("> ") != ""):
            self.lines.append(prefix + text if text else prefix.rstrip())
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            if tag not in VOID_TAGS:
                self.skip_depth += 1
            return
        if self.skip_depth:
            return
        values = {name: (value or "") for name, value in attrs}
        if tag == "br":
            self._break()
            return
        if tag == "img":
            alt = values.get("alt", "").strip()
            if alt:
                self.current.append(f"[{alt}]")
            return
        if tag in VOID_TAGS:
            if tag == "hr":
                self._break()
            return
        opens_quote = tag == "blockquote" or _is_quote_container(values)
        if tag in BLOCK_TAGS or tag in ("blockquote", "li", "td", "th") or opens_quote:
            if tag in ("td", "th"):
                self.current.append(" ")
            else:
                self._break()
        if opens_quote:
            if tag != "blockquote":   # a container: mark where the quoted mail starts
                self.lines.append(QUOTE_MARKER)
            self.quote_depth += 1
        if tag == "li":
            self.current.append("- ")
        if tag == "pre":
            self.pre_depth += 1
        if tag == "a":
            self.link_href = values.get("href", "").strip()
            self.link_text = []
        self.stack.append((tag, opens_quote))

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth or tag in VOID_TAGS:
            return
        # Close up to the matching open tag (mail HTML is often not well formed).
        while self.stack:
            open_tag, opened_quote = self.stack.pop()
            if opened_quote:
                self._break()
                self.quote_depth = max(0, self.quote_depth - 1)
            if open_tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)
            if open_tag == "a":
                self._end_link()
            if open_tag == tag:
                break
        if tag in BLOCK_TAGS or tag == "li":
            self._break()

    def _end_link(self) -> None:
        href, self.link_href = self.link_href, None
        shown = "".join(self.link_text).strip()
        if href and href.startswith(("http://", "https://")) and href.rstrip("/") not in shown:
            self.current.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        self.current.append(data)
        if self.link_href is not None:
            self.link_text.append(data)

    def text(self) -> str:
        self._break()
        lines = [line.rstrip() for line in self.lines]
        text = "\n".join(lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def _is_quote_container(values: dict[str, str]) -> bool:
    classes = values.get("class", "").lower().split()
    if any(name in classes for name in QUOTE_CLASSES):
        return True
    if values.get("id", "").lower() in QUOTE_IDS:
        return True
    return values.get("type", "").lower() == "cite"


def html_to_text(html: str) -> str:
    """The readable text of an HTML mail body; quoted parts as "> " lines after a quote marker line."""
    builder = _TextBuilder()
    try:
        builder.feed(html)
        builder.close()
    except (AssertionError, ValueError):   # html.parser gives up on some broken markup: keep what it read
        pass
    return builder.text()
