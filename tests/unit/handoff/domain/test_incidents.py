"""The pure grouping rules: similarity, what groups and what does not, the reasons shown, the customer's words."""
from datetime import datetime, timedelta, timezone

import pytest

from handoff.domain import incidents as d

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=timezone.utc)
SETTINGS = d.GroupingSettings()


def rep(ticket_id, text, minutes_ago=0, category="report_outage", customer=None):
    return d.Report(ticket_id, category, text, NOW - timedelta(minutes=minutes_ago), f"NW#{ticket_id}",
                    customer or f"conversation-{ticket_id}")


def test_similar_fault_reports_score_above_the_default_threshold_and_unrelated_ones_below():
    checkout = ["Beim Checkout kommt immer ein Fehler", "Checkout geht nicht, Fehlermeldung 500",
                "Fehler im Checkout, ich kann nicht bestellen", "Checkoutfehler seit heute Morgen!!"]
    other = ["Die App stürzt beim Öffnen ab", "Der Newsletter kommt doppelt", "Passwort wird nicht akzeptiert"]
    for a in checkout:
        assert all(d.similarity(a, b) >= SETTINGS.similarity for b in checkout), a
        assert all(d.similarity(a, b) < SETTINGS.similarity for b in other), a


def test_folding_and_filler_words():
    assert d.content_words("Ich kann NICHT über die Kasse zahlen, Grüße") == ["kasse", "zahlen", "gruesse"]
    assert d.similarity("ich habe ein problem", "ich habe ein problem") == 0.0   # only filler: says nothing
    assert d.shared_words("Fehler im Checkout", "Fehlermeldung beim checkout") == ["fehler", "checkout"]


def test_enough_similar_reports_within_the_window_open_an_incident():
    loose = [rep("1", "Checkout Fehler", 50), rep("2", "Fehler im Checkout", 10)]
    grouping = d.group(rep("3", "Checkout zeigt Fehler"), [], loose, SETTINGS, NOW)
    assert grouping is not None and grouping.opens_incident
    assert [m.ticket_id for m in grouping.members] == ["3", "1", "2"]
    assert grouping.members[1].matched_ticket_id == "3" and "NW#3" in grouping.members[1].reason
    assert "Kategorie Technische Störung" in grouping.members[0].reason


@pytest.mark.parametrize("loose", [
    [rep("1", "Checkout Fehler", 50), rep("2", "Fehler im Checkout", 10, category="complaint")],   # category
    [rep("1", "Checkout Fehler", 50), rep("2", "Die App stürzt ab", 10)],                          # text
    [rep("1", "Checkout Fehler", 61), rep("2", "Fehler im Checkout", 10)],                         # window
    [rep("1", "Checkout Fehler", 5)],                                                              # too few
])
def test_reports_that_must_not_group(loose):
    assert d.group(rep("3", "Checkout zeigt Fehler"), [], loose, SETTINGS, NOW) is None


def test_an_open_incident_of_the_category_is_joined_however_old_and_the_best_match_wins():
    old = d.OpenIncident("a", "report_outage", (rep("1", "Checkout Fehler", 600),))
    login = d.OpenIncident("b", "report_outage", (rep("2", "Login geht nicht", 5),))
    other_category = d.OpenIncident("c", "complaint", (rep("4", "Checkout Fehler", 5, "complaint"),))
    grouping = d.group(rep("3", "Checkout zeigt Fehler"), [login, other_category, old], [], SETTINGS, NOW)
    assert grouping is not None and grouping.incident_id == "a"
    assert grouping.members[0].matched_ticket_id == "1"


def test_settings_are_validated():
    assert d.GroupingSettings.from_dict({"min_reports": 2, "window_minutes": 30, "similarity": 0.5}).window == \
        timedelta(minutes=30)
    for bad in ({"min_reports": 1}, {"window_minutes": 0}, {"similarity": 0}, {"similarity": True},
                {"min_reports": "3"}, {"similarity": float("nan")}, []):
        with pytest.raises(d.InvalidIncidentSettings):
            d.GroupingSettings.from_dict(bad)


def test_transitions():
    assert d.next_incident_status("open", d.IncidentTrigger.CLOSED) == d.IncidentStatus.CLOSED
    with pytest.raises(d.InvalidIncidentTransition):
        d.next_incident_status("closed", d.IncidentTrigger.CLOSED)
    with pytest.raises(d.InvalidIncidentTransition):
        d.next_incident_status("closed", d.IncidentTrigger.ASSIGNED)


def test_what_the_customer_reads():
    local = datetime(2025, 3, 12, 14, 5)
    assert "seit 14:05 Uhr" in d.known_incident_text(local, local + timedelta(hours=1))
    assert d.since_phrase(local, local + timedelta(days=1)) == "seit gestern, 14:05 Uhr"
    assert d.since_phrase(local, local + timedelta(days=3)) == "seit dem 12.03., 14:05 Uhr"
    text = d.known_incident_text(local, local)
    assert "keine" not in text.lower() and "Person" in text   # never a brush-off; a person is offered


def test_a_large_incident_is_matched_against_its_newest_reports():
    old_checkout = [rep(f"o{i}", "Checkout Fehler", 600 - i) for i in range(5)]
    newer_other = [rep(f"n{i}", "Login Passwort abgelehnt", 100 - i) for i in range(d.MAX_COMPARED_PER_INCIDENT)]
    incident = d.OpenIncident("a", "report_outage", tuple(old_checkout + newer_other))
    assert d.group(rep("x", "Checkout zeigt Fehler"), [incident], [], SETTINGS, NOW) is None
    assert d.group(rep("y", "Login: Passwort wird abgelehnt"), [incident], [], SETTINGS, NOW).incident_id == "a"


def test_one_customer_reporting_three_times_is_not_an_incident():
    loose = [rep("1", "Checkout Fehler", 20, customer="anna"), rep("2", "Fehler im Checkout", 10, customer="anna")]
    assert d.group(rep("3", "Checkout zeigt Fehler", customer="anna"), [], loose, SETTINGS, NOW) is None
    grouping = d.group(rep("4", "Checkout zeigt Fehler", customer="ben"), [],
                       [*loose, rep("5", "Checkout kaputt, Fehler", 5, customer="clara")], SETTINGS, NOW)
    assert grouping is not None and len(grouping.members) == 4   # anna's two reports, clara's and ben's
    assert "ähnliche von 2 weiteren Kunden" in grouping.members[0].reason
