"""Elliptical follow-ups and "the answer did not help", read from German text."""
from __future__ import annotations

import pytest

from bot.dialogue.followup import asked_detail, fold, is_elliptical_follow_up, signals_answer_did_not_help

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("text", [
    "Und wie teuer ist das?", "und nach Italien?", "Ok, und mit PayPal?", "Was ist mit der Schweiz?",
    "Danke! Und auf Rechnung?", "Gilt das auch für Österreich?", "u. in die schweiz", "Oder per Vorkasse?",
    "Alles klar, und wie lange dauert das?", "wie sieht es mit Belgien aus", "Nein, ich meinte Österreich",
    "Schade. Und Tschechien?", "gemeint war PayPal",
])
def test_elliptical_follow_ups(text: str) -> None:
    assert is_elliptical_follow_up(text)


@pytest.mark.parametrize("text", [
    "Wo ist mein Paket?", "Und kann ich das andere Teil in Größe L noch umtauschen, obwohl es schon getragen wurde?",
    "Ich möchte etwas zurückschicken", "", "   ", "Undine hat bestellt",
])
def test_messages_with_their_own_question_are_not_elliptical(text: str) -> None:
    assert not is_elliptical_follow_up(text)


@pytest.mark.parametrize("text", [
    "Geht leider immer noch nicht", "Hab ich schon probiert, ohne Erfolg", "Das beantwortet meine Frage nicht",
    "Das hat mir nicht geholfen", "Klappt trotzdem nicht", "Das war nicht meine Frage",
    "Ich habe das alles schon versucht", "Funktioniert immer noch nicht!!", "geht schon wieder nicht",
    "HAB ICH DOCH SCHON GEMACHT", "Auch ein neues Passwort klappt nicht", "immer noch Fehler",
    "Es kommt weiterhin die gleiche Fehlermeldung", "Das geht leider auch nicht",
])
def test_signs_that_the_answer_did_not_help(text: str) -> None:
    assert signals_answer_did_not_help(text)


@pytest.mark.parametrize("text", [
    "Mein Paket ist noch nicht da", "Er hat nichts bekommen", "Danke, das hilft mir sehr",
    "Ich habe noch eine Frage", "Die Zahlung hat nicht geklappt", "Wo ist mein Paket?",
    "Geht das auch mit PayPal?", "Auch die Lieferung nach Wien?", "Ich habe ein Problem mit der Rechnung",
])
def test_ordinary_messages_are_no_such_sign(text: str) -> None:
    assert not signals_answer_did_not_help(text)


def test_fold_lowers_and_folds_umlauts_and_spaces() -> None:
    assert fold("  Größe  ÄRGER ") == "groesse aerger"


@pytest.mark.parametrize("text, detail", [
    ("Und wie teuer ist das?", "cost"), ("und was kostet das?", "cost"), ("Ist das gratis?", "cost"),
    ("Und wie lange dauert das?", "time"), ("Und wann ist es da?", "time"),
    ("Wie lange dauert das und was kostet es?", None), ("Und nach Italien?", None),
])
def test_asked_detail(text: str, detail: str | None) -> None:
    assert asked_detail(text) == detail
