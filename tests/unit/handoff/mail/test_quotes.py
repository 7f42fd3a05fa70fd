"""Quote and signature stripping beyond the corpus: edge cases that must not lose what the customer wrote."""
from __future__ import annotations

from handoff.mail.html_text import html_to_text
from handoff.mail.quotes import new_text


def test_all_quote_keeps_everything():
    text = "> Guten Tag,\n> wir haben Ihre Anfrage erhalten."
    assert new_text(text) == text


def test_english_attribution_and_signature():
    text = "Thanks, that helps.\n\nOn Mon, Nov 30, 2026 at 10:12 AM Nordwind <support@nordwind.example> wrote:\n> Hi"
    assert new_text(text) == "Thanks, that helps."


def test_von_line_in_the_text_is_not_a_quote_header():
    text = "Von: meiner Seite aus ist alles geklärt.\nDanke!"
    assert new_text(text) == text


def test_nested_blockquotes_and_broken_html():
    html = "<div>Neu</div><blockquote>alt<blockquote>älter</blockquote></blockquote><p>unclosed <b>bold"
    text = html_to_text(html)
    assert "> alt" in text and "> > älter" in text and "unclosed bold" in text


def test_html_entities_and_no_markup_survive():
    assert html_to_text("<p>5 &lt; 7 &amp; &#8364; &euro;</p><!-- Kommentar -->") == "5 < 7 & € €"

