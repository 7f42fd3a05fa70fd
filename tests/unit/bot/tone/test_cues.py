import pytest

from bot.tone import cues

pytestmark = pytest.mark.unit

ANGER_CUES = set(cues.CUE_NAMES) - {cues.DEMAND, cues.INCOMPETENCE, cues.POSITIVE}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WANN KOMMT ENDLICH MEIN PAKET", cues.CAPS),
        ("Wo ist mein Paket!!!", cues.EXCLAMATIONS),
        ("Was ist denn jetzt los???", cues.QUESTION_MARKS),
        ("Hallooooo, jemand da?", cues.REPEATED_LETTERS),
        ("Ihr seid doch alle Vollidioten", cues.INSULT),
        ("Ihr Drecksbetrüger", cues.INSULT),
        ("Betruger seid ihr", cues.INSULT),
        ("Ihr seid echt dämlich", cues.INSULT),
        ("Scheißladen", cues.PROFANITY),
        ("Leck mich doch", cues.PROFANITY),
        ("Verdammt nochmal", cues.MILD_PROFANITY),
        ("Ich weiß, wo euer Lager ist", cues.THREAT),
        ("Mein Anwalt meldet sich bei Ihnen", cues.LEGAL_THREAT),
        ("Ich gehe zur Verbraucherzentrale", cues.LEGAL_THREAT),
        ("Ich bestelle nie wieder bei euch", cues.CANCEL_THREAT),
        ("Das gibt eine schlechte Bewertung auf Trustpilot", cues.PUBLIC_THREAT),
        ("Ich schreibe zum dritten Mal", cues.REPEAT_CONTACT),
        ("Ich habe schon fünfmal angerufen", cues.REPEAT_CONTACT),
        ("Ich warte seit drei Wochen", cues.WAITING_TIME),
        ("Toller Service, wirklich", cues.SARCASM),
        ("Danke für nichts", cues.SARCASM),
        ("Ich will mein Geld sofort", cues.DEMAND),
        ("So ein Saftladen", cues.INCOMPETENCE),
        ("Na toll 😡", cues.ANGRY_EMOJI),
    ],
)
def test_cue_fires(text: str, expected: str) -> None:
    assert expected in cues.detect_cues(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mein Toaster ist leider kaputt angekommen.",
        "Die Bestellung wurde storniert, ich weiß nicht warum.",
        "Der Wasserkocher ist defekt, ich möchte ihn reklamieren.",
        "Ich habe den falschen Artikel bekommen, das Problem ist die Größe.",
        "Das Paket ist nicht angekommen, können Sie nachsehen?",
        "Die Packung war beschädigt, der Inhalt ist aber heil.",
        "Ich möchte meinen Marschrucksack zurückgeben.",
        "Das DHL Paket mit der IBAN-Rechnung als PDF kam nicht an.",
        "Ich bin nicht dumm, aber ich verstehe die Anleitung nicht.",
        "Die Giraffen-Tasse hat einen Sprung.",
    ],
)
def test_calm_problem_reports_fire_no_anger_cue(text: str) -> None:
    assert set(cues.detect_cues(text)) & ANGER_CUES == set()


def test_negated_insulting_adjective_is_not_an_insult() -> None:
    assert cues.INSULT not in cues.detect_cues("Sie sind nicht dumm, das weiß ich")
    assert cues.INSULT in cues.detect_cues("Sie sind dumm")


def test_a_customer_scolding_themselves_insults_nobody() -> None:
    assert cues.INSULT not in cues.detect_cues("Ich Idiot habe die falsche Adresse angegeben")
    assert cues.INSULT not in cues.detect_cues("ich depp hab mich vertippt")
    assert cues.INSULT in cues.detect_cues("Du Idiot hast die falsche Adresse genommen")
    assert cues.INSULT in cues.detect_cues("Ich finde, ihr seid Idioten")


def test_acronyms_are_not_shouting() -> None:
    assert cues.CAPS not in cues.detect_cues("Kommt das Paket mit DHL oder DPD?")


def test_cues_come_in_fixed_order_without_duplicates() -> None:
    fired = cues.detect_cues("IHR SEID BETRÜGER!!! Ich warte seit drei Wochen, mein Anwalt!!!")
    assert fired == [c for c in cues.CUE_NAMES if c in fired]
    assert len(fired) == len(set(fired))
    assert {cues.CAPS, cues.EXCLAMATIONS, cues.INSULT, cues.WAITING_TIME, cues.LEGAL_THREAT} <= set(fired)


def test_fold_makes_spelling_variants_alike() -> None:
    assert cues.fold("SCHEIßE") == cues.fold("scheisse") == cues.fold("Scheiiiisse")
    assert cues.fold("zurück") == cues.fold("zurueck") == cues.fold("zuruck")


def test_typographic_features_are_between_zero_and_one() -> None:
    features = cues.typographic_features("WARUM DAUERT DAS SO LANGE?????!!!!!!" * 20)
    assert all(0.0 <= value <= 1.0 for value in features.values())
    assert features["upper_share"] == 1.0


def test_how_often_is_repeat_contact_only_when_it_complains() -> None:
    assert cues.REPEAT_CONTACT in cues.detect_cues("Wie oft denn noch?")
    assert cues.REPEAT_CONTACT not in cues.detect_cues("Wie oft sollte man die Maschine entkalken?")


# --- issue 17: disappointment, repeated failure, relief; everyday words that are no cue ------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Geht leider immer noch nicht", cues.REPEATED_FAILURE),
        ("Hab ich schon probiert, ohne Erfolg", cues.REPEATED_FAILURE),
        ("Das hat wieder nicht funktioniert", cues.REPEATED_FAILURE),
        ("Auch nach dem Neustart der gleiche Fehler", cues.REPEATED_FAILURE),
        ("Ich bin echt enttäuscht", cues.DISAPPOINTMENT),
        ("Schade, ich hatte mich gefreut", cues.DISAPPOINTMENT),
        ("Das hilft mir nicht weiter", cues.ANNOYANCE),
        ("Ich mache mir langsam Sorgen", cues.WORRY),
        ("Hat funktioniert, danke!!", cues.POSITIVE),
        ("Puh, zum Glück ist es doch da", cues.POSITIVE),
        ("Läuft wieder 👍", cues.POSITIVE),
    ],
)
def test_issue_17_cue_fires(text: str, expected: str) -> None:
    assert expected in cues.detect_cues(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("oh nice, kostenloser Versand!", cues.INSULT),
        ("Newsletter kündigen bitte", cues.CANCEL_THREAT),
        ("Ich wohne jetzt woanders, wohin geht das Paket?", cues.CANCEL_THREAT),
        ("Erzähl mir einen Witz", cues.INCOMPETENCE),
        ("Danke, das reicht mir schon", cues.INCOMPETENCE),
        ("Mein neuer Mixer geht gar nicht an", cues.INCOMPETENCE),
        ("Spitze, danke!", cues.SARCASM),
        ("Hat nicht funktioniert, leider", cues.POSITIVE),
        ("Klappt wieder nicht", cues.POSITIVE),
        ("Ich bin unzufrieden", cues.POSITIVE),
    ],
)
def test_everyday_words_fire_no_such_cue(text: str, absent: str) -> None:
    assert absent not in cues.detect_cues(text)


def test_exclamations_intensify_a_happy_message_instead_of_counting_as_anger() -> None:
    happy = cues.typographic_features("DANKE, hat funktioniert!!!")
    angry = cues.typographic_features("WO IST MEIN PAKET!!!")
    assert happy["exclamation_count"] == 0.0 and happy["upper_share"] == 0.0
    assert angry["exclamation_count"] > 0.0 and angry["upper_share"] > 0.0
    assert not cues.is_happy(cues.detect_cues("Danke für nichts!!"))


def test_negated_satisfaction_and_last_time_read_right() -> None:
    assert cues.POSITIVE not in cues.detect_cues("Leider bin ich mit der Antwort nicht zufrieden.")
    assert cues.DISAPPOINTMENT in cues.detect_cues("Leider bin ich mit der Antwort nicht zufrieden.")
    assert cues.CANCEL_THREAT not in cues.detect_cues("Sie haben mir das letzte Mal auch nicht geholfen.")
    assert cues.CANCEL_THREAT in cues.detect_cues("Das war das letzte Mal, dass ich hier bestelle")


@pytest.mark.parametrize(
    "text",
    [
        "Habt ihr überhaupt ein Hirn?",
        "Euer Support hat den IQ eines Toastbrots.",
        "Die Dummheit eurer Mitarbeiter ist grenzenlos.",
        "Ihr seid der letzte Dreck.",
        "Diese Typen gehören weggesperrt.",
        "Ihr verlogenes Pack!",
        "Ihr seid doch komplett gestört.",
        "Wie dumm seid ihr eigentlich?",
        "Dumme Menschen arbeiten bei euch.",
        "Ihr Betrüger, gebt mir mein Geld!",
        "Nordwind ist ein Betrüger.",
        "Lügner! Das Paket wurde nie verschickt!",
        "Betrügerbande!",
        "Was für hirnlose Antworten.",
        "Wie dumm seid ihr eigentlich?",
    ],
)
def test_contempt_without_swear_words_is_an_insult(text: str) -> None:
    assert cues.INSULT in cues.detect_cues(text)


@pytest.mark.parametrize(
    "text",
    [
        # fraud reports and mentions: "Betrüger" is not aimed at anyone
        "Betrüger haben mit meinen Daten bei euch bestellt, was muss ich tun?",
        "Ich habe eine Mail bekommen, die aussieht wie von euch. Sind das Betrüger?",
        "Ich bin auf eine Betrügerseite hereingefallen.",
        "Antifaschisten demonstrieren heute in der Innenstadt.",
        # adjectives that describe things, and the speaker's own mind
        "Ist bei euch das Internet auch gestört?",
        "Das Sofa kam dreckig an, können Sie das abholen?",
        "Die Creme ist zu fett, kann ich sie umtauschen?",
        "Vielleicht eine dumme Frage, aber können Sie mir helfen?",
        "Danke, dass Sie mich nicht für dumm halten.",
        "Ich hatte heute kein Hirn für Zahlen, deshalb die falsche PLZ.",
        "Ich hätte gern ein Pack Batterien dazu.",
        "Wie blöd kann man sein, ich habe die falsche Adresse eingegeben.",
        "So eine Schlamperei habe ich lange nicht erlebt.",
    ],
)
def test_plain_words_near_insults_are_no_insult(text: str) -> None:
    assert cues.INSULT not in cues.detect_cues(text)


def test_finding_something_good_is_no_threat() -> None:
    assert cues.THREAT not in cues.detect_cues("Mein Mann meint, die Lampe ist zu hell, ich finde sie gut.")
    assert cues.THREAT in cues.detect_cues("Ich finde euch!")
    assert cues.THREAT in cues.detect_cues("Ich hoffe, euer Laden geht pleite.")
